/// Text made safe to place inside an SVG (XML) document, in element content or a double-quoted
/// attribute: the one escaping rule of every picture the project writes (the genotype drawing
/// here, the command's plots through `SVGPlot`).
public enum XMLText {
    /// `text` with `&`, `<`, `>` and `"` escaped, and each control character that XML 1.0 does not
    /// allow (all of U+0000-U+001F except tab, line feed and carriage return) replaced by U+FFFD,
    /// so that a genotype or series name from a hand-edited file cannot make the picture unreadable.
    ///
    /// ```swift
    /// XMLText.escaped("a<b & \"c\"")  // a&lt;b &amp; &quot;c&quot;
    /// ```
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default: result.unicodeScalars.append(scalar.value < 0x20 ? "\u{FFFD}" : scalar)
            }
        }
        return result
    }
}
