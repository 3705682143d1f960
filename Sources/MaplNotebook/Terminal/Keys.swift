import Foundation

/// A key read straight from the terminal, for the modes where readline does not have the keys (a replay
/// playing, the stepper): the bytes of one `read`, decoded into keys.
enum Key: Equatable {
    case character(Character)
    case enter, tab, escape, backspace
    case left, right, up, down, home, end, pageUp, pageDown
    case function(Int)
    /// The mouse wheel turned up (towards older lines) or down, with the pointer at column `x`, row `y` (0-based).
    case wheel(up: Bool, x: Int, y: Int)
    /// An escape sequence mapl does not use.
    case unknown

    /// Decodes `bytes` (xterm's and the Linux console's sequences; a lone ESC at the end is the Esc key).
    static func decode(_ bytes: ArraySlice<UInt8>) -> [Key] { decodeWithBytes(bytes).map(\.key) }

    /// Decodes `bytes` as `decode` does, each key with the bytes it came from (so keys one mode does not take
    /// can be handed to readline as they were typed).
    static func decodeWithBytes(_ bytes: ArraySlice<UInt8>) -> [(key: Key, bytes: ArraySlice<UInt8>)] {
        var keys: [(key: Key, bytes: ArraySlice<UInt8>)] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let keyStart = i
            func add(_ key: Key) { keys.append((key, bytes[keyStart..<Swift.min(i, bytes.endIndex)])) }
            let byte = bytes[i]
            i += 1
            switch byte {
            case 0x1B:
                guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "O") else {
                    add(.escape)
                    continue
                }
                let start = i
                i += 1
                // Parameters and intermediates up to the final byte (0x40...0x7E).
                while i < bytes.endIndex, !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                let end = min(i, bytes.endIndex - 1)
                let body = String(decoding: bytes[start...end], as: UTF8.self)
                i += 1
                if body.hasPrefix("[<") {
                    add(MouseWheel.parse(String(body.dropFirst(2))).map { Key.wheel(up: $0.up, x: $0.x, y: $0.y) } ?? .unknown)
                    continue
                }
                add(Key.sequences[body] ?? .unknown)
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): add(.enter)
            case UInt8(ascii: "\t"): add(.tab)
            case 0x7F, 0x08: add(.backspace)
            case 0x20...0x7E: add(.character(Character(UnicodeScalar(byte))))
            default: add(.unknown)
            }
        }
        return keys
    }

    /// The escape sequences (after ESC) of the keys mapl binds.
    static let sequences: [String: Key] = [
        "[A": .up, "[B": .down, "[C": .right, "[D": .left, "OA": .up, "OB": .down, "OC": .right, "OD": .left,
        "[H": .home, "OH": .home, "[1~": .home, "[7~": .home, "[F": .end, "OF": .end, "[4~": .end, "[8~": .end,
        "[5~": .pageUp, "[6~": .pageDown,
        "OP": .function(1), "OQ": .function(2), "OR": .function(3), "OS": .function(4),
        "[11~": .function(1), "[12~": .function(2), "[13~": .function(3), "[14~": .function(4),
        "[15~": .function(5), "[17~": .function(6), "[18~": .function(7), "[19~": .function(8),
    ]

    /// Reads what is waiting on standard input and decodes it; nil when input has ended.
    static func readAvailable() -> [Key]? { readAvailableWithBytes()?.map(\.key) }

    /// Reads what is waiting on standard input and decodes it, each key with its bytes; nil when input has ended.
    static func readAvailableWithBytes() -> [(key: Key, bytes: ArraySlice<UInt8>)]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(STDIN_FILENO, &buffer, buffer.count)
        if n == 0 { return nil }
        guard n > 0 else { return [] }
        return decodeWithBytes(buffer[0..<n])
    }
}

/// The mouse wheel, reported by the terminal in xterm's SGR form (`ESC [ < 64 ; x ; y M`: 64 up, 65 down,
/// x and y from 1) once the notebook asks for button events. Clicks are reported too and ignored; a
/// terminal's own selection then needs Shift, as in every full-screen program that takes the mouse.
enum MouseWheel {
    /// Button events (1000) in the SGR encoding (1006), which has no coordinate limit.
    static let enable = "\u{1B}[?1000h\u{1B}[?1006h"
    static let disable = "\u{1B}[?1006l\u{1B}[?1000l"

    /// A report's tail after `ESC [ <` (`64;12;5M`): the wheel's direction and where, 0-based; nil for
    /// anything but a wheel turn (a click, a release, a malformed report).
    static func parse(_ tail: String) -> (up: Bool, x: Int, y: Int)? {
        guard let final = tail.last, final == "M" || final == "m" else { return nil }
        let numbers = tail.dropLast().split(separator: ";").map { Int($0) }
        guard numbers.count == 3, let button = numbers[0], let x = numbers[1], let y = numbers[2] else { return nil }
        // Bits 0-1 and 6: 64 up, 65 down; modifier bits (4, 8, 16) are ignored.
        let code = button & ~(4 | 8 | 16)
        guard code == 64 || code == 65 else { return nil }
        return (code == 64, Swift.max(x - 1, 0), Swift.max(y - 1, 0))
    }
}
