use super::{Engine, translate};

/// Translates with the `regex` engine and returns the pattern.
fn regex(p: &str) -> String {
    let t = translate(p).unwrap();
    assert_eq!(t.engine, Engine::Regex, "{p}");
    t.pattern
}

/// Whether the ECMA-262 pattern `p` matches `s`, with the engine it needs.
fn matches(p: &str, s: &str) -> bool {
    let t = translate(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    match t.engine {
        Engine::Regex => regex::Regex::new(&t.pattern).unwrap().is_match(s),
        Engine::Fancy => fancy_regex::Regex::new(&t.pattern)
            .unwrap()
            .is_match(s)
            .unwrap(),
    }
}

#[test]
fn ascii_classes_and_identity_escapes() {
    assert_eq!(
        regex(r"^\d{12}:connector\/[0-9a-f]$"),
        r"^[0-9]{12}:connector/[0-9a-f]$"
    );
    assert_eq!(regex(r"[\w.-]+"), r"[0-9A-Za-z_.-]+");
    assert_eq!(regex(r"[!-~a\-z]"), r"[!-~a\-z]");
    assert_eq!(regex(r"^a.b$"), r"^a[^\n\r\x{2028}\x{2029}]b$");
    assert_eq!(regex(r"\u00e9\x41\u{1F600}"), r"\x{E9}A\x{1F600}");
    // A name changes nothing in a match: named groups are written unnamed.
    assert_eq!(regex(r"(?:ab)|(?<n>c)"), r"(?:ab)|(c)");
    assert_eq!(regex(r"[é\u00A0\t]"), r"[é\x{A0}\t]");
    assert!(matches(r"^\d+$", "0123456789"));
    assert!(
        !matches(r"^\d+$", "\u{0663}"),
        "Arabic-Indic digit is not \\d"
    );
    assert!(!matches(r"^\w+$", "é"), "\\w is ASCII");
    assert!(matches(r"^\W$", "é"));
    assert!(matches(r"^\D$", "\u{0663}"));
    assert!(matches(r"^a\/b\.c\-d\$$", "a/b.c-d$"));
}

#[test]
fn ecma_whitespace_is_not_the_regex_crate_s() {
    for ws in [
        "\t", "\u{0B}", "\u{0C}", " ", "\u{A0}", "\u{FEFF}", "\u{1680}", "\u{2000}", "\u{200A}",
        "\u{202F}", "\u{205F}", "\u{3000}", "\n", "\r", "\u{2028}", "\u{2029}",
    ] {
        assert!(matches(r"^\s$", ws), "{ws:?} is \\s");
        assert!(!matches(r"^\S$", ws), "{ws:?} is not \\S");
        assert!(matches(r"^[\s]$", ws), "{ws:?} is [\\s]");
        assert!(!matches(r"^[\S]$", ws), "{ws:?} is not [\\S]");
    }
    // NEL is Unicode White_Space but not ECMA-262 whitespace; ZWNBSP the
    // other way round.
    assert!(!matches(r"^\s$", "\u{85}"));
    assert!(matches(r"^\S$", "\u{85}"));
    assert!(matches(r"^[^\s]$", "\u{85}"));
    assert!(!matches(r"^[^\s]$", "\u{FEFF}"));
    assert!(!matches(r"^\s$", "\u{200B}"), "ZWSP is Cf, not Zs");
}

#[test]
fn complement_classes_inside_classes() {
    // \W ∪ \S ∪ {_} is every character.
    for s in [
        "",
        "abc",
        " \t\n",
        "_",
        "é ü",
        "\u{1F600}",
        "\u{FEFF}\u{85}",
    ] {
        assert!(matches(r"^[\W\S_]*$", s), "{s:?}");
    }
    assert!(matches(r"^[\S\s]+$", "a b\n"));
    assert!(matches(r"^[\D]$", "a"));
    assert!(!matches(r"^[\D]$", "5"));
    assert!(matches(r"^[\W\d]+$", "1 2-3"));
    assert!(!matches(r"^[\W\d]+$", "1a"));
    assert!(matches(r"^[^\W]+$", "abc_9"));
    assert!(!matches(r"^[^\W]+$", "é"));
    assert!(!matches(r"^[^\D\s]$", "a"));
    assert!(matches(r"^[^\D\s]$", "7"));
    // The corpus' `^(^[\S].*[\S]$)|(^[\S]$)$`.
    assert!(matches(r"^(^[\S].*[\S]$)|(^[\S]$)$", "a b"));
    assert!(!matches(r"^(^[\S].*[\S]$)|(^[\S]$)$", " a"));
}

#[test]
fn unicode_properties() {
    assert!(matches(r"^\p{L}+$", "héllo日本"));
    assert!(!matches(r"^\p{L}+$", "a1"));
    assert!(matches(r"^\p{Lu}\p{Ll}$", "Ab"));
    assert!(!matches(r"^\p{Lu}$", "a"));
    assert!(matches(r"^\p{N}+$", "12\u{0663}\u{2167}"));
    assert!(matches(r"^\p{P}+$", "!,.¿"));
    assert!(matches(r"^\p{Z}+$", " \u{A0}\u{2028}"));
    assert!(matches(r"^\P{C}+$", "printable é"));
    assert!(!matches(r"^\P{C}+$", "tab\there"));
    assert!(matches(r"^[\P{C}\r\n\t]{1,127}$", "tab\there\r\n"));
    assert!(!matches(r"^[\P{C}\r\n\t]{1,127}$", "nul\u{0}"));
    assert!(matches(
        r"^\p{Letter}\p{Script=Greek}\p{sc=Latn}\p{gc=Nd}$",
        "xαb7"
    ));
    assert!(matches(r"^\p{General_Category=Uppercase_Letter}$", "Q"));
    assert!(matches(r"^\p{Script_Extensions=Latin}$", "a"));
    assert!(!matches(r"^\p{Greek}$", "a"));
    assert!(matches(
        r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
        "Tag value: 1/2 = x@y"
    ));
    assert!(!matches(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "semi;colon"));
    assert!(translate(r"\p{NoSuchProperty}").is_err());
    assert!(translate(r"\p{L").is_err());
    // Java's one-letter form.
    assert!(matches(r"^\pL+$", "abé"));
    assert!(translate(r"\pl").is_err());
}

#[test]
fn lookaround_and_backreferences_need_fancy_regex() {
    let t = translate(r"^(?!^\s+$)((?![\x5c'\x2b,;<=>#\x22])([\x20-\x7E]))+$").unwrap();
    assert_eq!(t.engine, Engine::Fancy);
    assert!(matches(
        r"^(?!^\s+$)((?![\x5c'\x2b,;<=>#\x22])([\x20-\x7E]))+$",
        "a b"
    ));
    assert!(!matches(
        r"^(?!^\s+$)((?![\x5c'\x2b,;<=>#\x22])([\x20-\x7E]))+$",
        "   "
    ));
    // Lookbehind, from the corpus.
    assert!(matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "a.b"));
    assert!(!matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "ab."));
    assert!(matches(r"(?<=\$)\d+", "cost $42"));
    assert!(!matches(r"(?<=\$)\d+", "cost 42"));
    // Backreferences, numbered and named.
    assert!(matches(r"^(a|b)\1$", "aa"));
    assert!(!matches(r"^(a|b)\1$", "ab"));
    assert!(matches(r"^(?<q>['])x\k<q>$", "'x'"));
    // Lookahead passwords, from the corpus.
    let p = r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$";
    assert!(matches(p, "Passw0rd!"));
    assert!(!matches(p, "password1"));
}

#[test]
fn word_boundaries_are_ascii_with_either_engine() {
    assert_eq!(regex(r"\bab\B"), r"(?-u:\b)ab(?-u:\B)");
    assert!(matches(r"\bcat\b", "a cat."));
    assert!(!matches(r"\bcat\b", "concat"));
    // é is not a word character in ECMA-262, so there is a boundary.
    assert!(matches(r"\bcat\b", "écat"));
    // The same with lookaround elsewhere in the pattern (fancy-regex).
    assert!(matches(r"(?=c)\bcat\b", "écat"));
    assert!(!matches(r"(?=c)\bcat\b", "concat"));
    assert!(matches(r"(?=a)a\Bb", "ab"));
    assert!(!matches(r"(?=a)a\B-", "a-"));
    // In a class \b is a backspace.
    assert!(matches(r"^[\b]$", "\u{8}"));
}

#[test]
fn surrogate_pairs_and_code_points() {
    assert_eq!(regex(r"\uD83D\uDE00"), r"\x{1F600}");
    assert!(matches(r"^\uD83D\uDE00$", "😀"));
    assert!(matches(r"^\u{1F600}$", "😀"));
    assert!(matches(r"^[\uD83D\uDE00-\uD83D\uDE4F]$", "😃"));
    assert!(!matches(r"^[\uD83D\uDE00-\uD83D\uDE4F]$", "a"));
    // The XML-character pattern of AWS models.
    let xml = r"^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]*$";
    assert!(matches(xml, "ok\t😀\u{10FFFF}\u{E000}"));
    assert!(!matches(xml, "\u{1}"));
    assert!(!matches(xml, "\u{FFFE}"));
    // Lone surrogates: nothing in a Rust string can match them.
    let err = translate(r"a\uD800b").unwrap_err();
    assert!(err.contains("lone surrogate"), "{err}");
    assert!(!matches(r"^[\uD800]$", "a"));
    assert!(matches(r"^[^\uD800]$", "a"));
    assert!(matches(r"^[\u0000-\uDFFF]+$", "a\u{D7FF}"));
    assert!(!matches(r"^[\u0000-\uDFFF]$", "\u{E000}"));
    assert!(matches(r"^[\uD800-\uFFFF]$", "\u{E000}"));
    assert!(!matches(r"^[\uD800-\uDFFF]$", "a"));
    assert!(translate(r"\u{110000}").is_err());
    assert!(translate(r"\u12").is_err());
}

#[test]
fn other_escapes() {
    assert!(matches(r"^\x41\cJ\0\t$", "A\n\0\t"));
    assert!(matches(r"^[\x00-\x1F]$", "\u{1F}"));
    assert!(matches(r"^\v\f$", "\u{B}\u{C}"));
    assert!(matches(r"^[\-\]\[\\\/^]+$", "-][\\/^"));
    assert!(!matches(r"^[\-\]]+$", "a"));
    assert!(matches(r"^[a\-z]+$", "-az"));
    assert!(!matches(r"^[a\-z]$", "b"));
    assert!(matches(r"^[a-]$", "-"));
    assert!(
        matches(r"^[\w-.]+$", "a-."),
        "a range next to a set is literal"
    );
    assert!(matches(r"^[a&b~~c\-\-]+$", "a&b~c-"));
    assert!(!matches(r"^[a&b~~c]+$", "d"));
    // `&&` is Java's intersection (see `java_class_syntax`).
    assert!(!matches(r"^[a&&b~~c\-\-]+$", "a&b~c-"));
    assert!(translate(r"a\q").unwrap_err().contains("unknown escape"));
    assert!(translate(r"\cé").is_err());
    assert!(translate(r"\xZZ").is_err());
}

#[test]
fn empty_and_full_classes() {
    assert!(!matches(r"[]", "anything"));
    assert!(matches(r"^a[]?b$", "ab"));
    assert!(matches(r"^[^]+$", "a\nb\u{2028}"));
    assert!(matches(r"^[\s\S]*$", "a\nb"));
}

#[test]
fn braces_are_literal_unless_quantifiers() {
    assert!(matches(r"^a{2}$", "aa"));
    assert!(matches(r"^a{2,}$", "aaa"));
    assert!(matches(r"^a{1,2}?$", "a"));
    assert!(matches(r"^\{\}$", "{}"));
    assert!(matches(r"^{foo}$", "{foo}"));
    assert!(matches(r"^a{,2}$", "a{,2}"));
    assert!(matches(r"^a{$", "a{"));
    assert!(matches(r"^x}$", "x}"));
    assert!(matches(r"^]$", "]"));
    assert!(translate(r"a{2,1}").is_err());
}

#[test]
fn lazy_quantifiers_and_named_groups() {
    let re = regex::Regex::new(&regex(r"^(?<key>.+?)=(.*?)$")).unwrap();
    let caps = re.captures("a=b=c").unwrap();
    assert_eq!(&caps[1], "a");
    assert!(translate(r"(?<ü>a)").is_err());
}

#[test]
fn dot_excludes_ecma_line_terminators() {
    for lt in ["\n", "\r", "\u{2028}", "\u{2029}"] {
        assert!(!matches(r"^.$", lt), "{lt:?}");
    }
    assert!(matches(r"^.$", "\u{85}"));
    assert!(matches(r"^.$", "😀"));
}

#[test]
fn rejects_invalid_patterns() {
    assert!(translate(r"(?<=a").is_err());
    assert!(translate(r"[a-").unwrap_err().contains("unterminated"));
    assert!(translate(r"[z-a]").unwrap_err().contains("out of order"));
    assert!(translate(r"(").is_err());
    assert!(translate(r"a\").unwrap_err().contains("lone backslash"));
    assert!(
        translate(r"(?q)")
            .unwrap_err()
            .contains("unknown inline flag")
    );
    assert!(translate(r"(?").unwrap_err().contains("group syntax"));
    assert!(translate(r"(?i").unwrap_err().contains("unterminated"));
    assert!(translate(r"[\1]").is_err());
}

/// Every `pattern` of the shared corpus and of the protocol test suite
/// translates and compiles with the engine it names.
#[test]
fn every_pattern_of_the_shared_models_translates() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus"))
        .expect("../shared/corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.push(shared.join("protocol-tests/smithy-aws-protocol-tests.json"));
    files.sort();
    let mut patterns = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let model: serde_json::Value = serde_json::from_str(&text).unwrap();
        collect_patterns(&model["shapes"], &mut patterns);
    }
    assert!(patterns.len() > 100, "{} patterns", patterns.len());
    let failures: Vec<String> = patterns
        .iter()
        .filter_map(|p| match translate(p) {
            Ok(t) => {
                let compiled = match t.engine {
                    Engine::Regex => regex::RegexBuilder::new(&t.pattern)
                        .size_limit(64 * 1024 * 1024)
                        .build()
                        .err()
                        .map(|e| e.to_string()),
                    Engine::Fancy => fancy_regex::Regex::new(&t.pattern)
                        .err()
                        .map(|e| e.to_string()),
                };
                compiled.map(|e| format!("{p}: compiles to {}: {e}", t.pattern))
            }
            Err(e) => Some(format!("{p}: {e}")),
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

fn collect_patterns(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("smithy.api#pattern", serde_json::Value::String(p)) => {
                        out.insert(p.clone());
                    }
                    _ => collect_patterns(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

#[test]
fn java_input_anchors_and_posix_classes() {
    // SageMaker Runtime's InferenceId: Java's `\A`, `\z` and `\p{Print}`.
    let p = r"^\A\S[\p{Print}]*\z$";
    assert_eq!(
        regex(p),
        format!(
            r"^\A[^{}][\x20-\x7E]*\z$",
            r"\t\n\v\f\r\p{Zs}\x{FEFF}\x{2028}\x{2029}"
        )
    );
    assert!(matches(p, "abc-123 x"));
    assert!(!matches(p, " leading space"));
    assert!(!matches(p, "tab\there"), "a control character is not Print");
    assert!(!matches(p, "aé"), "Print is ASCII");
    assert!(!matches(p, ""));
    assert!(matches(r"\Aab", "abc") && !matches(r"\Aab", "cab"));
    assert!(matches(r"bc\z", "abc") && !matches(r"bc\z", "abcd"));

    for (class, yes, no) in [
        ("Alnum", "aZ9", "_"),
        ("Blank", " \t", "\n"),
        ("Cntrl", "\u{0}\u{1F}\u{7F}", " "),
        ("Digit", "0189", "\u{0663}"),
        ("Graph", "!~a", " "),
        ("Punct", "!/:@[`{~", "a"),
        ("Space", " \t\n\u{0B}\u{0C}\r", "\u{A0}"),
        ("XDigit", "09afAF", "g"),
    ] {
        let one = format!(r"^\p{{{class}}}+$");
        let not = format!(r"^\P{{{class}}}$");
        let in_class = format!(r"^[\p{{{class}}}]+$");
        assert!(matches(&one, yes), "{yes:?} is {class}");
        assert!(matches(&in_class, yes), "{yes:?} is [{class}]");
        assert!(!matches(&one, no), "{no:?} is not {class}");
        assert!(matches(&not, no), "{no:?} is \\P{{{class}}}");
    }
    // Names that ECMA-262 defines keep their Unicode meaning.
    assert!(matches(r"^\p{Alpha}$", "é"));
    assert!(matches(r"^\p{Lower}$", "é"));
    // Still refused: a class cannot hold an anchor, and Java's `\Z` is not
    // read.
    assert!(translate(r"[\A]").is_err());
    assert!(translate(r"a\Z").unwrap_err().contains("unknown escape"));
}

#[test]
fn quantified_assertions_assert_once_or_not_at_all() {
    // AWS EFS's Path: a quantified negative lookahead.
    let p = r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$";
    let t = translate(p).unwrap();
    assert_eq!(t.engine, Engine::Fancy);
    assert!(t.pattern.contains(r"/(?!\.)[^"), "{}", t.pattern);
    assert!(matches(p, "/"));
    assert!(matches(p, "/home/user"));
    assert!(
        !matches(p, "/.hidden"),
        "a segment may not start with a dot"
    );
    assert!(!matches(p, "/a/b/c/d/e"), "at most four segments");
    // `{n,}` with n > 0 asserts once; `*`, `?`, `{0,n}` and their lazy
    // forms may skip the assertion, so it is dropped.
    assert!(!matches(r"^(?=a){2,}\w$", "b"));
    assert!(matches(r"^(?=a){2,}\w$", "a"));
    for optional in [r"^(?=a)*b$", r"^(?=a)?b$", r"^(?=a){0,3}b$", r"^(?=a)*?b$"] {
        assert!(matches(optional, "b"), "{optional}");
    }
    assert!(matches(r"^(?<=)+a$", "a"));
}

/// Java's syntax that Smithy's reference implementation accepts: class
/// unions and intersections, inline flags (scoped and not), Java property
/// names, octal and `\x{…}` escapes. Each row's expected answer was given
/// by `java.util.regex` (OpenJDK 17, `Matcher::find`).
#[test]
fn java_dialect_agrees_with_java_util_regex() {
    let rows: &[(&str, &str, bool)] = &[
        ("^[\\p{Print}&&[^|:/]]+$", "abc", true),
        ("^[\\p{Print}&&[^|:/]]+$", "a|b", false),
        ("^[\\p{Print}&&[^|:/]]+$", "a:b", false),
        ("^[\\p{Print}&&[^|:/]]+$", "é", false),
        ("^[\\p{Print}&&[^|:/]]+$", "a b", true),
        ("^[a-z&&[^aeiou]]+$", "bcd", true),
        ("^[a-z&&[^aeiou]]+$", "bad", false),
        ("^[a-z&&[^aeiou]]+$", "", false),
        ("^[^a&&[abc]]$", "a", false),
        ("^[^a&&[abc]]$", "b", true),
        ("^[^a&&[abc]]$", "z", true),
        ("^[a-c[x-z]]+$", "abxz", true),
        ("^[a-c[x-z]]+$", "abd", false),
        ("^[^a-c[x-z]]$", "a", false),
        ("^[^a-c[x-z]]$", "y", false),
        ("^[^a-c[x-z]]$", "m", true),
        ("^[a&&]$", "a", true),
        ("^[a&&]$", "&", false),
        ("^[\\w&&\\D]+$", "ab_", true),
        ("^[\\w&&\\D]+$", "a1", false),
        ("^(?i)abc$", "ABC", true),
        ("^(?i)abc$", "aBc", true),
        ("^(?i)abc$", "abd", false),
        ("^(?i)é$", "É", false),
        ("^(?i)é$", "é", true),
        ("^(?iu)é$", "É", true),
        ("^(?iu)é$", "é", true),
        ("^(?i)[a-c]+$", "ABC", true),
        ("^(?i)[a-c]+$", "abc", true),
        ("^(?i)[a-c]+$", "abd", false),
        ("^(?i)[^a]$", "a", false),
        ("^(?i)[^a]$", "A", false),
        ("^(?i)[^a]$", "b", true),
        ("^a(?i:b)c$", "aBc", true),
        ("^a(?i:b)c$", "abc", true),
        ("^a(?i:b)c$", "aBC", false),
        ("^(?i)a(?-i)b$", "Ab", true),
        ("^(?i)a(?-i)b$", "AB", false),
        ("^(?i:a)b$", "Ab", true),
        ("^(?i:a)b$", "AB", false),
        ("^(?s).+$", "a\u{a}b", true),
        ("^(?s).+$", "a", true),
        ("^.+$", "a\u{a}b", false),
        ("^.+$", "a", true),
        ("^(?s:.)(.)$", "\u{a}\u{a}", false),
        ("^(?s:.)(.)$", "\u{a}a", true),
        ("(?m)^b", "a\u{a}b", true),
        ("(?m)^b", "a\u{d}\u{a}b", true),
        ("(?m)^b", "a\u{d}b", true),
        ("(?m)^b", "a\u{85}b", true),
        ("(?m)^b", "a\u{2028}b", true),
        ("(?m)^b", "ab", false),
        ("(?m)a$", "a\u{a}b", true),
        ("(?m)a$", "a\u{d}\u{a}b", true),
        ("(?m)a$", "a\u{d}b", true),
        ("(?m)a$", "a\u{85}b", true),
        ("(?m)a$", "ab", false),
        ("(?m)a\\r$", "a\u{d}\u{a}", false),
        ("(?m)a\\r$", "a\u{d}", true),
        ("(?ms)^b.$", "a\u{a}b\u{a}", true),
        ("(?ms)^b.$", "a\u{a}bc", true),
        ("(?md)^b", "a\u{d}b", false),
        ("(?md)^b", "a\u{a}b", true),
        ("(?d).", "\u{d}", true),
        ("(?d).", "\u{a}", false),
        ("^(?x) a b # c\\n c$", "abc", true),
        ("^(?x) a b # c\\n c$", "a b c", false),
        ("^(?x)[a b]+$", "ab", true),
        ("^(?x)[a b]+$", "a b", false),
        ("^\\p{LD}+$", "a1é", true),
        ("^\\p{LD}+$", "a_", false),
        ("^\\p{all}+$", "a\u{a}\u{0}", true),
        ("^\\p{L1}+$", "aÿ", true),
        ("^\\p{L1}+$", "Ā", false),
        ("^\\p{IsAlphabetic}+$", "abé", true),
        ("^\\p{IsAlphabetic}+$", "a1", false),
        ("^\\p{IsLatin}+$", "abé", true),
        ("^\\p{IsLatin}+$", "αβ", false),
        ("^\\p{javaLowerCase}+$", "abé", true),
        ("^\\p{javaLowerCase}+$", "A", false),
        ("^\\p{javaUpperCase}+$", "ABÉ", true),
        ("^\\p{javaUpperCase}+$", "a", false),
        ("^\\p{javaWhitespace}+$", " \u{a}", true),
        ("^\\p{javaWhitespace}+$", " ", false),
        ("^\\pL+$", "ab", true),
        ("^\\pL+$", "1", false),
        ("^\\PL+$", "12", true),
        ("^\\PL+$", "a", false),
        ("^[^/:|\\000-\\037]+$", "ab", true),
        ("^[^/:|\\000-\\037]+$", "a\u{1f}b", false),
        ("^[^/:|\\000-\\037]+$", "a|b", false),
        ("^\\0101\\01\\0377$", "A\u{1}ÿ", true),
        ("^\\x{1F600}$", "😀", true),
        ("^\\x{1F600}$", "a", false),
        ("^[\\x{41}-\\x{43}]+$", "ABC", true),
        ("^[\\x{41}-\\x{43}]+$", "D", false),
        ("^\\p{InGreek}+$", "αβ", true),
        ("^\\p{InGreek}+$", "a", false),
        ("^\\p{InBasicLatin}+$", "abc", true),
        ("^\\p{InBasicLatin}+$", "é", false),
        ("^\\p{InLatin-1 Supplement}+$", "éÿ", true),
        ("^\\p{InLatin-1 Supplement}+$", "a", false),
        ("^\\p{IsGreek}+$", "αβ", true),
        ("^\\p{IsGreek}+$", "a", false),
        (
            "^[\\p{InCyrillic}\\p{InCYRILLIC_SUPPLEMENTARY}]+$",
            "жԀ",
            true,
        ),
        (
            "^[\\p{InCyrillic}\\p{InCYRILLIC_SUPPLEMENTARY}]+$",
            "a",
            false,
        ),
        ("^\\P{InGreek}+$", "a", true),
        ("^\\P{InGreek}+$", "α", false),
    ];
    let mut wrong = Vec::new();
    for &(pattern, input, expected) in rows {
        if matches(pattern, input) != expected {
            wrong.push(format!("{pattern:?} on {input:?}: Java says {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn java_constructs_without_a_translation_are_refused() {
    assert!(
        translate(r"\p{blk=Nowhere}")
            .unwrap_err()
            .contains("unknown Unicode block")
    );
    assert!(
        translate(r"(?U)\w")
            .unwrap_err()
            .contains("UNICODE_CHARACTER_CLASS")
    );
    assert!(translate(r"\p{javaJavaIdentifierStart}").is_err());
    assert!(translate(r"\08").unwrap_err().contains("octal"));
    assert!(translate(r"\x{110000}").is_err());
}

/// A bounded repetition of one character too large for the `regex` crate
/// is a length check beside the unbounded repetition.
#[test]
fn large_bounded_repetitions_become_a_length_check() {
    for (pattern, unbounded, min, max) in [
        (r"^[^\p{C}]{1,2048}$", r"^(?:[^\p{C}])*$", 1, 2048),
        (
            r"^.{1,100000}$",
            r"^(?:[^\n\r\x{2028}\x{2029}])*$",
            1,
            100_000,
        ),
        (
            r"^(?s).{0,100000}$",
            r"^(?:[\x{0}-\x{10FFFF}])*$",
            0,
            100_000,
        ),
        (
            r"^\S{100000,}$",
            r"^(?:[^\t\n\v\f\r\p{Zs}\x{FEFF}\x{2028}\x{2029}])*$",
            100_000,
            u32::MAX,
        ),
    ] {
        let t = translate(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        assert_eq!(t.pattern, unbounded, "{pattern}");
        assert_eq!(t.engine, Engine::Regex);
        assert_eq!(t.chars, Some((min, max)), "{pattern}");
    }
    // Small enough as written: unchanged.
    assert_eq!(translate(r"^[a-z]{1,64}$").unwrap().chars, None);
    // Not one character repeated: still too large, and refused.
    assert!(translate(r"^(?:\p{L}\p{N}){1,100000}$").is_err());
    assert!(translate(r"^a\p{L}{1,100000}$").is_err());
}

/// Backreferences to groups that have not captured match the empty string,
/// as in ECMA-262 (answers from Node.js); those whose meaning the regex
/// engines here cannot give are refused.
#[test]
fn backreferences_have_ecma_262_semantics() {
    let rows: &[(&str, &str, bool)] = &[
        (r"^(?:(a)|b)\1$", "b", true),
        (r"^(?:(a)|b)\1$", "aa", true),
        (r"^(?:(a)|b)\1$", "a", false),
        (r"^(?:(a)|b)\1$", "ba", false),
        (r"^\1(a)$", "a", true),
        (r"^\1(a)$", "aa", false),
        (r"^(a\1)$", "a", true),
        (r"^(a\1)$", "aa", false),
        (r"^(a)?\1b$", "b", true),
        (r"^(a)?\1b$", "aab", true),
        (r"^(a)?\1b$", "ab", false),
        (r"^(?<q>x)?\k<q>y$", "y", true),
        (r"^(?<q>x)?\k<q>y$", "xxy", true),
        (r"^(?<q>x)?\k<q>y$", "xy", false),
        (r"^\k<q>(?<q>x)$", "x", true),
        (r"^(?!(a))\1b$", "b", true),
        (r"^(?!(a))\1b$", "ab", false),
    ];
    for &(pattern, input, expected) in rows {
        assert_eq!(
            matches(pattern, input),
            expected,
            "{pattern:?} on {input:?}"
        );
    }
    // Only references that can see a capture need fancy-regex.
    assert_eq!(translate(r"^\1(a)$").unwrap().engine, Engine::Regex);
    for (pattern, reason) in [
        (r"^(?:(a)|b)*\1$", "inside a repeated group"),
        (r"^((a)b)+\2$", "inside a repeated group"),
        (r"(?<=(a)\1)b", "inside a lookbehind"),
        (r"(?<=(a))\1", "inside a lookbehind"),
        (r"^(a)\2$", "does not exist"),
        (r"^\k<x>(a)$", "does not exist"),
        (r"^(?<x>a)(?<x>b)$", "used twice"),
    ] {
        let e = translate(pattern).unwrap_err();
        assert!(e.contains(reason), "{pattern}: {e}");
    }
    // A repeated group itself may be referenced: both keep its last capture.
    assert!(matches(r"^(a|b)+\1$", "abb"));
    assert!(!matches(r"^(a|b)+\1$", "aba"));
}
