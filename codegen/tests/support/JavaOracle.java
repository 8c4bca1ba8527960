// The java.util.regex oracle of the pattern differential test
// (codegen/src/emit/patterns/differential.rs), for the Java syntax the
// generator reads as Java does. One request per line: the pattern and each
// input as hex-encoded UTF-8, separated by spaces. One answer per line: a
// `1` or `0` per input (Matcher.find), or `E` when Java refuses the pattern.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

public class JavaOracle {
    static String unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ", -1);
            StringBuilder out = new StringBuilder();
            try {
                Pattern p = Pattern.compile(unhex(parts[0]));
                for (int i = 1; i < parts.length; i++) {
                    out.append(p.matcher(unhex(parts[i])).find() ? '1' : '0');
                }
            } catch (Exception e) {
                out = new StringBuilder("E");
            }
            System.out.println(out);
            System.out.flush();
        }
    }
}
