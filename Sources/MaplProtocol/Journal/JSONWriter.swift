import MaplCore

/// Writes one JSON object at a time into a string, fields in the order they are added — the event stream's
/// lines stay readable and diffable. Strings are quoted by `JSONValue.quote` (as safetensors headers are);
/// numbers that JSON cannot hold (NaN, ±infinity) are written as the strings "nan", "inf" and "-inf".
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = []

    mutating func beginObject() { value(); text += "{"; needsComma.append(false) }
    mutating func endObject() { text += "}"; needsComma.removeLast() }
    mutating func beginArray() { value(); text += "["; needsComma.append(false) }
    mutating func endArray() { text += "]"; needsComma.removeLast() }

    /// Starts a field of the current object.
    mutating func key(_ name: String) {
        separate()
        text += JSONValue.quote(name)
        text += ":"
        skipSeparator = true
    }

    mutating func string(_ s: String) { value(); text += JSONValue.quote(s) }
    mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    mutating func bool(_ b: Bool) { value(); text += b ? "true" : "false" }
    mutating func null() { value(); text += "null" }
    mutating func int(_ i: Int) { value(); text += String(i) }
    mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    mutating func double(_ x: Double) {
        value()
        if x.isFinite { text += x == x.rounded() && Swift.abs(x) < 1e15 && !(x == 0 && x.sign == .minus) ? String(Int(x)) : "\(x)" }
        else { text += x.isNaN ? "\"nan\"" : (x < 0 ? "\"-inf\"" : "\"inf\"") }
    }
    mutating func double(_ x: Double?) { if let x { double(x) } else { null() } }
    mutating func float(_ x: Float) {
        value()
        if x.isFinite { text += x == x.rounded() && Swift.abs(x) < 1e7 && !(x == 0 && x.sign == .minus) ? String(Int(x)) : "\(x)" }
        else { text += x.isNaN ? "\"nan\"" : (x < 0 ? "\"-inf\"" : "\"inf\"") }
    }
    mutating func float(_ x: Float?) { if let x { float(x) } else { null() } }

    mutating func ints(_ xs: [Int]) { beginArray(); for x in xs { int(x) }; endArray() }
    mutating func doubles(_ xs: [Double]) { beginArray(); for x in xs { double(x) }; endArray() }
    mutating func floats(_ xs: [Float]) { beginArray(); for x in xs { float(x) }; endArray() }
    mutating func strings(_ xs: [String]) { beginArray(); for x in xs { string(x) }; endArray() }

    // A value inside an array needs a comma after the first; a value after `key` does not.
    private var skipSeparator = false
    private mutating func value() {
        if skipSeparator { skipSeparator = false; return }
        separate()
    }
    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { text += "," } else { needsComma[needsComma.count - 1] = true }
    }
}
