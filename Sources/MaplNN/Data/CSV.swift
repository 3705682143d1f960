import Foundation

/// Tabular data from a CSV file: a header row naming the columns, then one row of numbers per sample.
extension Dataset {
    /// Reads the CSV file at `path`. The `label` column (the last column when nil) becomes y, every other
    /// column an input feature (x `[n, features]`).
    ///
    /// Labels are class indices when `classification` is true; when it is nil they are taken as classes if
    /// every label is a non-negative integer below 1000 (then `classes` = largest + 1, y `[n]`), otherwise as
    /// regression targets (y `[n, 1]`, matching a one-output model). Fields are split on commas and trimmed;
    /// quoted fields may not contain commas. Blank lines are skipped. Errors name the file, line and column.
    public static func csv(_ path: String, label: String? = nil, classification: Bool? = nil) throws -> Dataset {
        let bytes = try Files.read(path)
        return try csv(text: String(decoding: bytes, as: UTF8.self), name: path, label: label, classification: classification)
    }

    /// Parses CSV text (see `csv(_:label:classification:)`); `name` is used in error messages.
    public static func csv(text: String, name: String = "csv", label: String? = nil, classification: Bool? = nil) throws -> Dataset {
        func fields(_ line: Substring) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map { raw in
                var f = raw.trimmedSpaces()
                if f.count >= 2, f.first == "\"", f.last == "\"" { f = String(f.dropFirst().dropLast()) }
                return f
            }
        }
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().map { ($0.offset + 1, $0.element) }
        lines.removeAll { $0.1.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let (_, headerLine) = lines.first else { throw DataError("'\(name)' is empty: a CSV file needs a header row") }
        let header = fields(headerLine)
        var seen = Set<String>()
        for column in header where !seen.insert(column).inserted {
            throw DataError("'\(name)' line \(lines[0].0): the column name '\(column)' appears twice")
        }
        let labelColumn: Int
        if let label {
            guard let at = header.firstIndex(of: label) else {
                throw DataError("'\(name)' has no column '\(label)'; its columns are \(header.map { "'\($0)'" }.joined(separator: ", "))")
            }
            labelColumn = at
        } else {
            labelColumn = header.count - 1
        }
        guard header.count >= 2 else { throw DataError("'\(name)' needs a label column and at least one feature column") }

        let features = header.count - 1
        var xs: [Float] = []
        var ys: [Float] = []
        // Room for every row announced, but never more values than the text has characters: a wide header
        // over many short (bad) lines must not reserve features × lines up front.
        let (announced, overflow) = features.multipliedReportingOverflow(by: lines.count - 1)
        xs.reserveCapacity(overflow ? text.utf8.count : Swift.min(announced, text.utf8.count))
        for (number, line) in lines.dropFirst() {
            let values = fields(line)
            guard values.count == header.count else {
                throw DataError("'\(name)' line \(number): expected \(header.count) values (one per column), found \(values.count)")
            }
            for (c, field) in values.enumerated() {
                // Float() reads a C string: a NUL ends it, so "1\u{0}2" would be 1. No control byte is part of a number.
                if let stray = field.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    let byte = String(format: "0x%02X", stray.value)
                    let at = line.unicodeScalars.firstIndex(of: stray).map { line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: $0) + 1 } ?? 1
                    throw DataError("'\(name)' line \(number), column \(at) (in '\(header[c])'): the byte \(byte) cannot be part of a number")
                }
                guard let v = Float(field) else {
                    let shown = field.isEmpty ? "an empty value" : "'\(field)'"
                    throw DataError("'\(name)' line \(number), column '\(header[c])': \(shown) is not a number")
                }
                if c == labelColumn { ys.append(v) } else { xs.append(v) }
            }
        }
        guard !ys.isEmpty else { throw DataError("'\(name)' has a header but no data rows") }

        let integerLabels = ys.allSatisfy { $0 >= 0 && $0 < 1000 && $0 == $0.rounded() }
        let asClasses = classification ?? integerLabels
        if asClasses {
            guard integerLabels || ys.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < Float(Int32.max) }) else {
                let bad = ys.first { !($0 >= 0 && $0 == $0.rounded()) } ?? ys[0]
                throw DataError("'\(name)': label '\(header[labelColumn])' value \(numberString(bad)) is not a class index (a non-negative integer)")
            }
            let classes = Int(ys.max() ?? 0) + 1
            return try Dataset(inputs: xs, sampleShape: [features], targets: ys, targetShape: [], classes: classes)
        }
        return try Dataset(inputs: xs, sampleShape: [features], targets: ys, targetShape: [1], classes: nil)
    }
}

private extension Substring {
    func trimmedSpaces() -> String {
        let set: [Character] = [" ", "\t"]
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
