//! Routing: a static route table matched segment by segment, labels
//! (percent-decoded on demand) and query strings.

use super::Rejection;
use http::Method;
use std::borrow::Cow;

/// One segment of a route's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    /// Literal text, compared exactly.
    Literal(&'static str),
    /// A `{label}`: one non-empty segment.
    Label,
    /// A `{label+}`: the rest of the path (one or more segments).
    Greedy,
}

/// A route: method, path segments and query literals.
#[derive(Clone, Debug)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path segments.
    pub segments: &'static [Seg],
    /// Query literals the request must carry: `(name, Some(value))`, or
    /// `(name, None)` for a bare `?name`.
    pub query: &'static [(&'static str, Option<&'static str>)],
}

impl Seg {
    /// How specific a segment is: a literal matches one text, a label one
    /// segment, a greedy label any number of them.
    const fn rank(&self) -> u8 {
        match self {
            Seg::Literal(_) => 2,
            Seg::Label => 1,
            Seg::Greedy => 0,
        }
    }
}

impl Route {
    /// Whether this route is more specific than `other`, so that a request
    /// matching both goes to this one. Paths are compared segment by segment
    /// from the left: at the first position where the two differ in kind, a
    /// literal beats a label and a label beats a greedy label
    /// (`/flows/start/{Arn}` over `/flows/{Arn}/streams`). When one path's
    /// kinds are a prefix of the other's, the longer is more specific
    /// (`/p/{Arn+}/settings` over `/p/{Arn+}`). Between equally specific
    /// paths, the route with more query literals wins.
    ///
    /// The generator refuses two routes that are equally specific and can
    /// match the same request (Smithy's conflicting patterns), so this order
    /// decides every request that more than one route matches.
    pub fn outranks(&self, other: &Route) -> bool {
        for (a, b) in self.segments.iter().zip(other.segments) {
            if a.rank() != b.rank() {
                return a.rank() > b.rank();
            }
        }
        match self.segments.len().cmp(&other.segments.len()) {
            std::cmp::Ordering::Equal => self.query.len() > other.query.len(),
            longer => longer.is_gt(),
        }
    }
}

/// Why a request matched no route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// No route has this path: 404 `UnknownOperationException`.
    NotFound,
    /// Some route has this path, but not with this method: 405.
    MethodNotAllowed,
}

/// The most labels one route may have.
pub const MAX_LABELS: usize = 8;

/// The labels of a matched route, in URI order, still percent-encoded
/// (borrowed from the request). [`Labels::get`] decodes one.
#[derive(Clone, Debug)]
pub struct Labels<'a> {
    path: &'a str,
    /// `(start, end)` byte offsets of each label in `path`.
    spans: [(u32, u32); MAX_LABELS],
    len: usize,
}

impl<'a> Labels<'a> {
    /// The `i`-th label, percent-decoded: a 400 `SerializationException`
    /// when it is not UTF-8 once decoded. `%2F` decodes to `/` (data, not a
    /// separator).
    pub fn get(&self, i: usize, member: &str) -> Result<Cow<'a, str>, Rejection> {
        let raw = self.spans[..self.len]
            .get(i)
            .map_or("", |&(start, end)| &self.path[start as usize..end as usize]);
        percent_decode(raw).ok_or_else(|| {
            Rejection::serialization(format!(
                "label {member} is not valid UTF-8 once percent-decoded"
            ))
        })
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A static route table, matched segment by segment. Building it costs
/// nothing (it is a `const`); matching allocates nothing.
#[derive(Clone, Copy, Debug)]
pub struct Router {
    routes: &'static [Route],
}

impl Router {
    /// A router over `routes`. When several routes match a request, the most
    /// specific one wins ([`Route::outranks`]); the generator has checked that
    /// no two equally specific routes can match the same request.
    pub const fn new(routes: &'static [Route]) -> Self {
        Self { routes }
    }

    /// The index of the route matching `method`, `path` and `query`, and its
    /// labels. Only routes with the request's method are compared (segment by
    /// segment, lazily); the others only decide between 404 and 405.
    #[inline]
    pub fn route<'a>(
        &self,
        method: &Method,
        path: &'a str,
        query: Option<&'a str>,
    ) -> Result<(usize, Labels<'a>), RouteError> {
        let path = path.strip_prefix('/').unwrap_or(path);
        // A trailing slash is tolerated.
        let path = path.strip_suffix('/').unwrap_or(path);
        // One pass over the routes of the request's method; the labels of
        // the best match so far are kept, so the winner is not matched twice.
        // A route that does not outrank the best match so far is not matched
        // at all: being no more specific, it either loses or (equally
        // specific) cannot match the same request.
        let mut best: Option<(usize, Labels<'a>)> = None;
        let mut scratch = Labels::new(path);
        for (i, route) in self.routes.iter().enumerate() {
            if route.method != *method {
                continue;
            }
            let better = best
                .as_ref()
                .is_none_or(|(j, _)| route.outranks(&self.routes[*j]));
            if !better || !route.query.iter().all(|lit| query_has(query, *lit)) {
                continue;
            }
            scratch.len = 0;
            if match_path(path, route.segments, &mut scratch) {
                best = Some((i, scratch.clone()));
            }
        }
        if let Some(found) = best {
            return Ok(found);
        }
        let other_method = self.routes.iter().any(|route| {
            route.query.iter().all(|lit| query_has(query, *lit))
                && match_path(path, route.segments, &mut Labels::new(path))
        });
        Err(if other_method {
            RouteError::MethodNotAllowed
        } else {
            RouteError::NotFound
        })
    }
}

impl<'a> Labels<'a> {
    fn new(path: &'a str) -> Self {
        Labels {
            path,
            spans: [(0, 0); MAX_LABELS],
            len: 0,
        }
    }

    /// Records `text` (a slice of the path) as the next label; `false` when
    /// there are already [`MAX_LABELS`].
    fn push(&mut self, text: &str) -> bool {
        let Some(slot) = self.spans.get_mut(self.len) else {
            return false;
        };
        let start = (text.as_ptr() as usize - self.path.as_ptr() as usize) as u32;
        *slot = (start, start + text.len() as u32);
        self.len += 1;
        true
    }
}

/// Whether `path` (without its leading and trailing slash) matches a
/// route's segments, its labels recorded in `labels`. Segments are found as
/// the walk goes: a literal is compared in place, a label runs to the next
/// `/`, and a final greedy label takes the rest.
#[inline]
fn match_path<'a>(path: &'a str, route: &[Seg], labels: &mut Labels<'a>) -> bool {
    // The unmatched rest of the path; `None` once every segment is used.
    let mut rest = (!path.is_empty()).then_some(path);
    for (k, seg) in route.iter().enumerate() {
        if matches!(seg, Seg::Greedy) && k + 1 < route.len() {
            labels.len = 0;
            return match_inner_greedy(path, route, k, labels);
        }
        let Some(tail) = rest else { return false };
        let (text, after) = match seg {
            Seg::Greedy => (tail, None),
            Seg::Literal(lit) => {
                // In place: the literal, then the end or a `/`.
                let Some(after) = tail.strip_prefix(lit) else {
                    return false;
                };
                match after.strip_prefix('/') {
                    Some(next) => (&tail[..lit.len()], Some(next)),
                    None if after.is_empty() => (tail, None),
                    None => return false,
                }
            }
            Seg::Label => match tail.find('/') {
                Some(slash) => (&tail[..slash], Some(&tail[slash + 1..])),
                None => (tail, None),
            },
        };
        // A literal was compared in place.
        if !matches!(seg, Seg::Literal(_)) && !fill(seg, text, labels) {
            return false;
        }
        rest = after;
    }
    rest.is_none()
}

/// Matching for a route whose greedy label is followed by more segments
/// (`/{Bucket}/{Key+}/tagging`): the segments after it are matched against
/// the end of the path, and the greedy label takes the one or more segments
/// in between. Such routes are rare; their segments are collected into a
/// `Vec`.
fn match_inner_greedy<'a>(path: &'a str, route: &[Seg], g: usize, labels: &mut Labels<'a>) -> bool {
    let parts: Vec<&'a str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').collect()
    };
    let after = route.len() - g - 1;
    if parts.len() < g + 1 + after {
        return false;
    }
    let greedy_end = parts.len() - after;
    for (k, seg) in route.iter().enumerate() {
        let text: &'a str = if k < g {
            parts[k]
        } else if k == g {
            let start = parts[g].as_ptr() as usize - path.as_ptr() as usize;
            let last = parts[greedy_end - 1];
            let end = last.as_ptr() as usize - path.as_ptr() as usize + last.len();
            &path[start..end]
        } else {
            parts[greedy_end + (k - g - 1)]
        };
        if !fill(seg, text, labels) {
            return false;
        }
    }
    true
}

/// Whether `text` (a slice of the path) fills `seg`: the same literal, a
/// non-empty label, or a greedy label of non-empty segments. Labels are
/// recorded in `labels`.
#[inline]
fn fill<'a>(seg: &Seg, text: &'a str, labels: &mut Labels<'a>) -> bool {
    match seg {
        Seg::Literal(lit) => text == *lit,
        Seg::Label => !text.is_empty() && labels.push(text),
        Seg::Greedy => !text.split('/').any(str::is_empty) && labels.push(text),
    }
}

fn query_has(query: Option<&str>, (name, value): (&str, Option<&str>)) -> bool {
    query.into_iter().flat_map(|q| q.split('&')).any(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        percent_decode(k).as_deref() == Some(name)
            && value.is_none_or(|value| percent_decode(v).as_deref() == Some(value))
    })
}

/// Percent-decodes `s` (RFC 3986: `+` stays `+`). `None` when the result is
/// not UTF-8. Borrows when there is nothing to decode.
pub fn percent_decode(s: &str) -> Option<Cow<'_, str>> {
    let Some(first) = s.find('%') else {
        return Some(Cow::Borrowed(s));
    };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex_value(*b)),
                bytes.get(i + 2).and_then(|b| hex_value(*b)),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        // Copy the run up to the next `%` in one go.
        let next = bytes[i + 1..]
            .iter()
            .position(|&b| b == b'%')
            .map_or(bytes.len(), |p| i + 1 + p);
        out.extend_from_slice(&bytes[i..next]);
        i = next;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

// ---------------------------------------------------------------- query

/// The decoded `name=value` pairs of a query string, in order.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Query<'a> {
    /// Parses a query string; a pair that is not UTF-8 once decoded is a 400
    /// `SerializationException`.
    pub fn parse(query: Option<&'a str>) -> Result<Self, Rejection> {
        let mut pairs = Vec::new();
        for pair in query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let bad =
                || Rejection::serialization("query string is not valid UTF-8 once percent-decoded");
            pairs.push((
                percent_decode(k).ok_or_else(bad)?,
                percent_decode(v).ok_or_else(bad)?,
            ));
        }
        Ok(Self { pairs })
    }

    /// The first value of `name`.
    pub fn first<'s>(&'s self, name: &'s str) -> Option<&'s str> {
        self.all(name).next()
    }

    /// Every `(name, value)` pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// Every value of `name`, in order (lists repeat the key).
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ERROR_TYPE_HEADER;
    use bytes::Bytes;
    use http::Response;

    static ROUTES: &[Route] = &[
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("connectors")],
            query: &[],
        },
        Route {
            method: Method::POST,
            segments: &[Seg::Literal("connectors")],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("connectors"), Seg::Label],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("files"), Seg::Greedy],
            query: &[],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("q")],
            query: &[("x-id", Some("Get"))],
        },
        Route {
            method: Method::GET,
            segments: &[Seg::Literal("q")],
            query: &[("x-id", Some("Get")), ("flag", None)],
        },
        Route {
            method: Method::GET,
            segments: &[
                Seg::Literal("a"),
                Seg::Literal("b"),
                Seg::Literal("c"),
                Seg::Literal("d"),
                Seg::Literal("e"),
                Seg::Literal("f"),
                Seg::Literal("g"),
                Seg::Literal("h"),
                Seg::Label,
                Seg::Literal("j"),
            ],
            query: &[],
        },
        Route {
            method: Method::PUT,
            segments: &[
                Seg::Literal("a"),
                Seg::Literal("b"),
                Seg::Literal("c"),
                Seg::Literal("d"),
                Seg::Literal("e"),
                Seg::Literal("f"),
                Seg::Literal("g"),
                Seg::Literal("h"),
                Seg::Literal("i"),
                Seg::Greedy,
            ],
            query: &[],
        },
        Route {
            method: Method::PUT,
            segments: &[Seg::Literal("g"), Seg::Greedy],
            query: &[],
        },
    ];
    const ROUTER: Router = Router::new(ROUTES);

    fn route(method: Method, uri: &str) -> Result<(usize, Vec<String>), RouteError> {
        let (path, query) = uri
            .split_once('?')
            .map_or((uri, None), |(p, q)| (p, Some(q)));
        ROUTER.route(&method, path, query).map(|(i, labels)| {
            (
                i,
                (0..labels.len())
                    .map(|j| labels.get(j, "x").unwrap().into_owned())
                    .collect(),
            )
        })
    }

    #[test]
    fn matches_segment_by_segment_and_decodes_labels_after_the_split() {
        assert_eq!(route(Method::GET, "/connectors"), Ok((0, vec![])));
        assert_eq!(route(Method::POST, "/connectors"), Ok((1, vec![])));
        assert_eq!(
            route(
                Method::GET,
                "/connectors/arn%3Aaws%3Apca%3Aus-east-1%3A1%3Aconnector%2Fabc"
            ),
            Ok((2, vec!["arn:aws:pca:us-east-1:1:connector/abc".to_owned()]))
        );
        // An unencoded slash is a separator: no route has three segments.
        assert_eq!(
            route(Method::GET, "/connectors/a/b"),
            Err(RouteError::NotFound)
        );
        assert_eq!(route(Method::GET, "/connectors/"), Ok((0, vec![])));
        assert_eq!(
            route(Method::GET, "/files/a/b%2Fc"),
            Ok((3, vec!["a/b/c".to_owned()]))
        );
        assert_eq!(route(Method::GET, "/files"), Err(RouteError::NotFound));
    }

    #[test]
    fn long_paths_past_the_pre_split_segments() {
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x%2Fy/j"),
            Ok((6, vec!["x/y".to_owned()]))
        );
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x/j/k"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::GET, "/a/b/c/d/e/f/g/h/x"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::PUT, "/a/b/c/d/e/f/g/h/i/1/2/3"),
            Ok((7, vec!["1/2/3".to_owned()]))
        );
        assert_eq!(
            route(Method::PUT, "/a/b/c/d/e/f/g/h/i"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            route(Method::PUT, "/g/1/2/3/4/5/6/7/8/9/10"),
            Ok((8, vec!["1/2/3/4/5/6/7/8/9/10".to_owned()]))
        );
        assert_eq!(route(Method::PUT, "/g/1//2"), Err(RouteError::NotFound));
        assert_eq!(
            route(Method::GET, "/g/1"),
            Err(RouteError::MethodNotAllowed)
        );
    }

    #[test]
    fn unknown_paths_and_wrong_methods() {
        assert_eq!(route(Method::GET, "/nope"), Err(RouteError::NotFound));
        assert_eq!(route(Method::GET, "/"), Err(RouteError::NotFound));
        assert_eq!(
            route(Method::DELETE, "/connectors"),
            Err(RouteError::MethodNotAllowed)
        );
        let response: Response<Bytes> = RouteError::NotFound.into();
        assert_eq!(response.status(), 404);
        assert_eq!(
            response.headers()[ERROR_TYPE_HEADER],
            "UnknownOperationException"
        );
        let response: Response<Bytes> = RouteError::MethodNotAllowed.into();
        assert_eq!(response.status(), 405);
    }

    #[test]
    fn query_literals_are_honoured_and_the_most_specific_wins() {
        assert_eq!(route(Method::GET, "/q"), Err(RouteError::NotFound));
        assert_eq!(route(Method::GET, "/q?x-id=Get"), Ok((4, vec![])));
        assert_eq!(route(Method::GET, "/q?a=1&x-id=Get&flag"), Ok((5, vec![])));
        assert_eq!(route(Method::GET, "/q?x-id=Put"), Err(RouteError::NotFound));
    }

    #[test]
    fn labels_that_are_not_utf8_are_rejected() {
        let (_, labels) = ROUTER.route(&Method::GET, "/connectors/%FF", None).unwrap();
        assert!(matches!(
            labels.get(0, "ConnectorArn"),
            Err(Rejection::Serialization(_))
        ));
    }

    #[test]
    fn query_values_repeat_and_decode() {
        assert_eq!(percent_decode("a%2").unwrap(), "a%2");
        assert_eq!(percent_decode("%zz%41b").unwrap(), "%zzAb");
        assert_eq!(percent_decode("%E2%9C%93 ok").unwrap(), "✓ ok");
        assert!(percent_decode("%C3").is_none());
        let q = Query::parse(Some("tagKeys=a%20b&tagKeys=c%26d%3De%2Bf&x=1&tagKeys=")).unwrap();
        assert_eq!(q.all("tagKeys").collect::<Vec<_>>(), ["a b", "c&d=e+f", ""]);
        assert_eq!(q.first("x"), Some("1"));
        assert_eq!(q.first("y"), None);
        assert!(Query::parse(Some("a=%C3%28")).is_err());
    }

    #[test]
    fn greedy_labels_before_other_segments() {
        static ROUTES: &[Route] = &[Route {
            method: Method::GET,
            segments: &[
                Seg::Literal("b"),
                Seg::Label,
                Seg::Greedy,
                Seg::Literal("tagging"),
            ],
            query: &[],
        }];
        let router = Router::new(ROUTES);
        let (i, labels) = router
            .route(&Method::GET, "/b/bucket/a/b%2Fc/d/tagging", None)
            .unwrap();
        assert_eq!(i, 0);
        assert_eq!(labels.get(0, "Bucket").unwrap(), "bucket");
        assert_eq!(labels.get(1, "Key").unwrap(), "a/b/c/d");
        let (_, labels) = router
            .route(&Method::GET, "/b/bucket/k/tagging", None)
            .unwrap();
        assert_eq!(labels.get(1, "Key").unwrap(), "k");
        for missing in [
            "/b/bucket/tagging",
            "/b/bucket/a//tagging",
            "/b/bucket/a/b",
            "/b//a/tagging",
        ] {
            assert_eq!(
                router.route(&Method::GET, missing, None).unwrap_err(),
                RouteError::NotFound,
                "{missing}"
            );
        }
    }

    /// Routes that overlap without being equivalent: the more specific one
    /// receives every request both match, whatever their order in the table.
    #[test]
    fn overlapping_routes_go_to_the_most_specific() {
        use Seg::{Greedy as G, Label as L, Literal as Lit};
        let post = |segments: &'static [Seg],
                    query: &'static [(&'static str, Option<&'static str>)]| {
            Route {
                method: Method::POST,
                segments,
                query,
            }
        };
        // (routes, request, the route that must receive it)
        let cases: Vec<([Route; 2], &str, usize)> = vec![
            (
                [
                    post(&[Lit("v1"), Lit("flows"), L, Lit("mediaStreams")], &[]),
                    post(&[Lit("v1"), Lit("flows"), Lit("start"), L], &[]),
                ],
                "/v1/flows/start/mediaStreams",
                1,
            ),
            (
                [
                    post(&[Lit("v1"), Lit("flows"), L, Lit("mediaStreams")], &[]),
                    post(&[Lit("v1"), Lit("flows"), Lit("start"), L], &[]),
                ],
                "/v1/flows/arn/mediaStreams",
                0,
            ),
            (
                [
                    post(&[Lit("v1"), Lit("flows"), L, Lit("mediaStreams")], &[]),
                    post(&[Lit("v1"), Lit("flows"), Lit("start"), L], &[]),
                ],
                "/v1/flows/start/arn",
                1,
            ),
            (
                [
                    post(&[Lit("portals"), G, Lit("browserSettings")], &[]),
                    post(&[Lit("portals"), G], &[]),
                ],
                "/portals/arn%3Ap%2F1/browserSettings",
                0,
            ),
            (
                [
                    post(&[Lit("portals"), G, Lit("browserSettings")], &[]),
                    post(&[Lit("portals"), G], &[]),
                ],
                "/portals/arn/p/1",
                1,
            ),
            (
                [post(&[Lit("a"), L], &[]), post(&[Lit("a"), Lit("b")], &[])],
                "/a/b",
                1,
            ),
            (
                [post(&[Lit("a"), L], &[]), post(&[Lit("a"), Lit("b")], &[])],
                "/a/c",
                0,
            ),
            (
                [post(&[Lit("a"), G], &[]), post(&[Lit("a"), L], &[])],
                "/a/b",
                1,
            ),
            (
                [post(&[Lit("a"), G], &[]), post(&[Lit("a"), L], &[])],
                "/a/b/c",
                0,
            ),
            (
                [
                    post(&[Lit("a"), L], &[("x", None)]),
                    post(&[Lit("a"), Lit("b")], &[]),
                ],
                "/a/b?x",
                1,
            ),
            (
                [post(&[Lit("a")], &[("x", None)]), post(&[Lit("a")], &[])],
                "/a?x",
                0,
            ),
        ];
        for (routes, request, winner) in cases {
            for flipped in [false, true] {
                let mut table = routes.to_vec();
                if flipped {
                    table.reverse();
                }
                let table: &'static [Route] = Box::leak(table.into_boxed_slice());
                let (path, query) = request
                    .split_once('?')
                    .map_or((request, None), |(p, q)| (p, Some(q)));
                let (i, _) = Router::new(table)
                    .route(&Method::POST, path, query)
                    .unwrap_or_else(|e| panic!("{request}: {e:?}"));
                let expected = if flipped { 1 - winner } else { winner };
                assert_eq!(i, expected, "{request} (table flipped: {flipped})");
            }
        }
    }

    #[test]
    fn a_trailing_slash_on_the_request_is_tolerated() {
        assert_eq!(route(Method::GET, "/connectors/"), Ok((0, vec![])));
        assert_eq!(
            route(Method::GET, "/connectors/abc/"),
            Ok((2, vec!["abc".to_owned()]))
        );
    }
}
