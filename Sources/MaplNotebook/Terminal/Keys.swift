import Foundation

/// A key read straight from the terminal, for the modes where readline does not have the keys (a replay
/// playing, the stepper): the bytes of one `read`, decoded into keys.
enum Key: Equatable {
    case character(Character)
    case enter, tab, escape, backspace
    case left, right, up, down, home, end, pageUp, pageDown
    case function(Int)
    /// An escape sequence mapl does not use.
    case unknown

    /// Decodes `bytes` (xterm's and the Linux console's sequences; a lone ESC at the end is the Esc key).
    static func decode(_ bytes: ArraySlice<UInt8>) -> [Key] {
        var keys: [Key] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            i += 1
            switch byte {
            case 0x1B:
                guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "O") else {
                    keys.append(.escape)
                    continue
                }
                let start = i
                i += 1
                // Parameters and intermediates up to the final byte (0x40...0x7E).
                while i < bytes.endIndex, !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                let end = min(i, bytes.endIndex - 1)
                let body = String(decoding: bytes[start...end], as: UTF8.self)
                i += 1
                keys.append(Key.sequences[body] ?? .unknown)
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): keys.append(.enter)
            case UInt8(ascii: "\t"): keys.append(.tab)
            case 0x7F, 0x08: keys.append(.backspace)
            case 0x20...0x7E: keys.append(.character(Character(UnicodeScalar(byte))))
            default: keys.append(.unknown)
            }
        }
        return keys
    }

    /// The escape sequences (after ESC) of the keys mapl binds.
    private static let sequences: [String: Key] = [
        "[A": .up, "[B": .down, "[C": .right, "[D": .left, "OA": .up, "OB": .down, "OC": .right, "OD": .left,
        "[H": .home, "OH": .home, "[1~": .home, "[7~": .home, "[F": .end, "OF": .end, "[4~": .end, "[8~": .end,
        "[5~": .pageUp, "[6~": .pageDown,
        "OP": .function(1), "OQ": .function(2), "OR": .function(3), "OS": .function(4),
        "[11~": .function(1), "[12~": .function(2), "[13~": .function(3), "[14~": .function(4),
        "[15~": .function(5), "[17~": .function(6), "[18~": .function(7), "[19~": .function(8),
    ]

    /// Reads what is waiting on standard input and decodes it; nil when input has ended.
    static func readAvailable() -> [Key]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(STDIN_FILENO, &buffer, buffer.count)
        if n == 0 { return nil }
        guard n > 0 else { return [] }
        return decode(buffer[0..<n])
    }
}
