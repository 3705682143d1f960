import MaplProtocol
/// Text from outside (a journal someone shared) made safe to print to a terminal: control characters are
/// shown, not obeyed, so an escape sequence inside a journal can never move the cursor, recolour, retitle or
/// clear the viewer's terminal. Line breaks and tabs stay; every other C0 control and DEL is written as
/// `\x1b`, a C1 control (which some terminals obey as well) as `\u009b`.
public enum TerminalText {
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for u in text.unicodeScalars {
            guard isControl(u) else { out.unicodeScalars.append(u); continue }
            let hex = String(u.value, radix: 16)
            out += u.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u00" + hex
        }
        return out
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F...0x9F).contains(u.value)
    }
}
