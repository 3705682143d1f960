import Foundation
import MaplCore

/// A journal read back: what the header said, the events, and what had to be skipped.
public struct Journal: Sendable {
    /// The header's `source`, when there was a header.
    public var source: String?
    public var version: Int?
    public var events: [DisplayEvent]
    /// One line per line that could not be read (`line 12: not valid JSON, skipped`).
    public var warnings: [String]
}

/// Why one line of the event stream could not be read.
public struct EventJSONError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension EventJSON {
    /// Reads a whole journal held in memory (`JournalReader` reads one from a file as a stream). It never
    /// refuses a file: a line that is not a valid event (typically the last one, cut short by a crash) is
    /// skipped and named in `warnings`.
    public static func readJournal(_ text: String) -> Journal {
        var journal = Journal(source: nil, version: nil, events: [], warnings: [])
        for item in JournalReader(bytes: Array(text.utf8)) {
            switch item {
            case .header(let source, let version): journal.source = source; journal.version = version
            case .event(let e): journal.events.append(e)
            case .warning(let w): journal.warnings.append(w)
            }
        }
        return journal
    }

    /// One line of a journal (without its newline): the header, an event, the warning that names it, or
    /// nil for a blank line.
    static func item(_ line: [UInt8], line number: Int) -> JournalReader.Item? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        do {
            let object = try parseObject(line)
            if case .string("events")? = object.value["mapl"] {
                return .header(source: object.optionalString("source"), version: object.optionalInt("version"))
            }
            return .event(try decode(object))
        } catch {
            return .warning("line \(number): \(error), skipped")
        }
    }

    /// One line of the stream as an event.
    public static func decode(_ line: String) throws -> DisplayEvent { try decode(try parseObject(Array(line.utf8))) }

    /// One line as a JSON object, read by the project's exact reader (`JSONValue`): every number comes back
    /// bit for bit as it was written.
    private static func parseObject(_ bytes: [UInt8]) throws -> Fields {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch let e as DataError {
            throw EventJSONError(message: "not valid JSON (\(e.message.replacingOccurrences(of: "JSON: ", with: "")))")
        }
        guard case .object = value else { throw EventJSONError(message: "not a JSON object") }
        return Fields(value)
    }

    private static func decode(_ r: Fields) throws -> DisplayEvent {
        let name = try r.string("event")
        guard let kind = EventKind(rawValue: name) else { throw EventJSONError(message: "unknown event '\(name)'") }
        switch kind {
        case .cellQueued, .cellStarted:
            let info = CellInfo(number: try r.int("cell"), source: try r.string("source"), origin: try r.string("origin"),
                                firstLine: try r.int("firstLine"))
            return kind == .cellQueued ? .cellQueued(info) : .cellStarted(info)
        case .text: return .text(try r.string("text"))
        case .value:
            let value = try valueSnapshot(try r.object("value"))
            return .value(EchoedValue(value: value, printed: try r.string("printed"), grid: r.has("grid") ? try grid(try r.object("grid"), of: value) : nil))
        case .plot:
            let series = try r.objects("series").map { f -> PlotData.Series in
                return PlotData.Series(name: try f.string("name"), xs: try f.doubles("xs"), ys: try f.doubles("ys"))
            }
            return .plot(PlotData(series: series, title: r.optionalString("title"), xLabel: r.optionalString("xLabel")))
        case .histogram: return .histogram(try histogram(r))
        case .image: return .image(try image(r))
        case .heatmap:
            let values = try r.floats("values")
            return .heatmap(HeatmapData(rows: try r.side("rows", of: values.count, by: "columns"), columns: try r.int("columns"), values: values,
                                        sourceRows: try r.int("sourceRows"), sourceColumns: try r.int("sourceColumns"),
                                        min: try r.float("min"), max: try r.float("max"), note: r.optionalString("note")))
        case .graph:
            let nodes = try r.objects("nodes").map { f -> GraphData.Node in
                return GraphData.Node(id: try f.int("id"), label: f.optionalString("label"), op: f.optionalString("op"),
                                      shape: try f.ints("shape"), isParameter: try f.bool("parameter"), inputs: try f.ints("inputs"))
            }
            return .graph(GraphData(root: try r.int("root"), nodes: nodes, truncated: try r.bool("truncated"), totalNodes: try r.int("totalNodes")))
        case .trace:
            let steps = TraceSteps(root: try r.string("root"), forward: try r.objects("forward").map(step),
                                   backward: try r.objects("backward").map(step), note: r.optionalString("note"))
            let precision = try r.int("precision")
            guard (0...16).contains(precision) else { throw EventJSONError(message: "'precision' must be between 0 and 16, got \(precision)") }
            // Journals written before quiz traces have no "quiz": a plain walk; before `show_limit`, no "showLimit".
            let showLimit = r.optionalInt("showLimit")
            if let n = showLimit, !(1...ValueSnapshot.tensorLimit).contains(n) {
                throw EventJSONError(message: "'showLimit' must be between 1 and \(ValueSnapshot.tensorLimit), got \(n)")
            }
            return .trace(TraceData(steps: steps, precision: precision, showLimit: showLimit, quiz: r.has("quiz") ? try r.bool("quiz") : false))
        case .table:
            let alignments = try r.strings("alignments").map { TableData.Alignment(rawValue: $0) ?? .left }
            let rows = try r.array("rows").map { row -> [String] in
                guard case .array(let cells) = row else { throw EventJSONError(message: "'rows' must hold lists of strings") }
                return try cells.map { cell in
                    guard case .string(let s) = cell else { throw EventJSONError(message: "'rows' must hold lists of strings") }
                    return s
                }
            }
            return .table(TableData(header: try r.strings("header"), rows: rows, alignments: alignments, notes: try r.strings("notes")))
        case .fitStarted:
            return .training(.fitStarted(FitStarted(model: try r.string("model"), epochs: try r.int("epochs"),
                                                    batchesPerEpoch: try r.int("batchesPerEpoch"), batchSize: try r.int("batchSize"),
                                                    samples: try r.int("samples"), validationSamples: try r.int("validationSamples"),
                                                    loss: try r.string("loss"))))
        case .batch:
            return .training(.batch(BatchProgress(epoch: try r.int("epoch"), epochs: try r.int("epochs"), batch: try r.int("batch"),
                                                  batchesPerEpoch: try r.int("batchesPerEpoch"), loss: try r.double("loss"),
                                                  accuracy: r.optionalDouble("accuracy"), samplesPerSecond: try r.double("samplesPerSecond"),
                                                  eta: try r.double("eta"))))
        case .epoch:
            return .training(.epoch(EpochProgress(epoch: try r.int("epoch"), epochs: try r.int("epochs"), loss: try r.doubles("loss"),
                                                  valLoss: try r.doubles("valLoss"), valAccuracy: try r.doubles("valAccuracy"),
                                                  accuracy: r.optionalDouble("accuracy"), seconds: try r.double("seconds"),
                                                  stoppedEarly: try r.bool("stoppedEarly"))))
        case .paused:
            guard let cause = TrainingPaused.Cause(rawValue: try r.string("cause")) else { throw EventJSONError(message: "unknown paused cause") }
            return .training(.paused(TrainingPaused(epoch: try r.int("epoch"), epochs: try r.int("epochs"), batch: try r.int("batch"),
                                                    batchesPerEpoch: try r.int("batchesPerEpoch"), batchesTrained: try r.int("batchesTrained"),
                                                    loss: try r.double("loss"), cause: cause, names: try r.strings("names"))))
        case .fitEnded:
            guard let reason = FitEnded.Reason(rawValue: try r.string("reason")) else { throw EventJSONError(message: "unknown fitEnded reason") }
            return .training(.fitEnded(FitEnded(reason: reason, epochsCompleted: try r.int("epochsCompleted"), batches: try r.int("batches"),
                                                bestEpoch: r.optionalInt("bestEpoch"), patience: r.optionalInt("patience"),
                                                modelState: try r.string("modelState"), seconds: try r.double("seconds"))))
        case .snapshot:
            let tensors = try r.objects("tensors").map { f -> (name: String, value: Tensor) in
                return (try f.string("name"), try Tensor(shape: try f.ints("shape"), scalars: try f.floats("values")))
            }
            return .training(.snapshot(TrainingSnapshot(epoch: try r.int("epoch"), batch: try r.int("batch"), tensors: tensors)))
        case .metric:
            return .metric(MetricData(name: try r.string("name"), value: try r.double("value"), step: try r.double("step")))
        case .warning:
            return .warning(WarningData(message: try r.string("message"), range: r.has("range") ? try range(try r.object("range")) : nil))
        case .error: return .error(try report(r))
        case .interrupted: return .interrupted(try report(r))
        case .action:
            let text = try r.string("action")
            guard let action = SessionAction(text: text) else { throw EventJSONError(message: "unknown action '\(text)'") }
            return .action(action)
        case .cellEnded:
            guard let outcome = CellEnd.Outcome(rawValue: try r.string("outcome")) else { throw EventJSONError(message: "unknown outcome") }
            return .cellEnded(CellEnd(number: try r.int("cell"), outcome: outcome, seconds: try r.double("seconds")))
        }
    }

    /// A histogram and its peers. What `HistogramData(binning:)` guarantees, the drawing relies on: finite
    /// ends, counts that sum. Journals written before `hist(a, b)` have no "peers": none.
    private static func histogram(_ r: Fields) throws -> HistogramData {
        let counts = try r.ints("counts"), low = try r.double("low"), high = try r.double("high")
        guard low.isFinite, high.isFinite, low <= high else { throw EventJSONError(message: "'low' and 'high' must be finite, low ≤ high") }
        var sum = 0
        for c in counts {
            let (next, overflow) = sum.addingReportingOverflow(c)
            guard c >= 0, !overflow else { throw EventJSONError(message: "'counts' must be non-negative whole numbers with a sum below 2^63") }
            sum = next
        }
        return HistogramData(counts: counts, low: low, high: high, nonFinite: try r.int("nonFinite"), title: r.optionalString("title"),
                             peers: try (r.has("peers") ? r.objects("peers") : []).map(histogram))
    }

    /// An image and its sheet, each checked to hold rows × columns pixels. Journals written before
    /// `show(d, 0..15)` have no "sheet": one image.
    private static func image(_ r: Fields) throws -> ImageData {
        let pixels = try r.floats("pixels")
        let sheet = try r.has("sheet") ? r.objects("sheet") : []
        guard sheet.count <= ImageData.sheetLimit else { throw EventJSONError(message: "'sheet' must hold at most \(ImageData.sheetLimit) images") }
        return ImageData(rows: try r.side("rows", of: pixels.count, by: "columns"), columns: try r.int("columns"), pixels: pixels,
                         low: r.optionalFloat("low"), high: r.optionalFloat("high"), caption: r.optionalString("caption"),
                         label: r.optionalString("label"), probabilities: r.has("probabilities") ? try r.doubles("probabilities") : nil,
                         sheet: try sheet.map(image))
    }

    /// A matrix's grid made again from its recipe and the echoed tensor's values, which it is laid out from.
    private static func grid(_ r: Fields, of value: ValueSnapshot) throws -> ValueGrid {
        guard case .tensor(let t) = value, let values = t.values, t.shape.count >= 2,
              (try? Shape.checkedCount(t.shape)) == values.count else {
            throw EventJSONError(message: "'grid' needs a tensor of rank 2 or more with all its values")
        }
        let precision = try r.int("precision")
        guard (0...16).contains(precision) else { throw EventJSONError(message: "'precision' must be between 0 and 16, got \(precision)") }
        return ValueGrid(heading: try r.string("heading"),
                         grid: MatrixGrid(shape: t.shape, values: values, precision: precision, maxRows: r.optionalInt("maxRows") ?? .max))
    }

    private static func valueSnapshot(_ r: Fields) throws -> ValueSnapshot {
        switch try r.string("kind") {
        case "number": return .number(try r.double("number"))
        case "bool": return .bool(try r.bool("bool"))
        case "string": return .string(try r.string("string"))
        case "none": return .none
        case "tensor":
            return .tensor(TensorSnapshot(shape: try r.ints("shape"), isParameter: try r.bool("parameter"), requiresGrad: try r.bool("requiresGrad"),
                                          values: r.has("values") ? try r.floats("values") : nil, min: r.optionalFloat("min"),
                                          max: r.optionalFloat("max"), mean: r.optionalDouble("mean")))
        // Lists and records nested deeper than `ValueSnapshot` copies travel as `display` only.
        case "list" where r.has("items"): return .list(try r.objects("items").map(valueSnapshot))
        case "record" where r.has("fields"):
            return .record(try r.objects("fields").map { f in
                ValueSnapshot.Field(name: try f.string("name"), value: try valueSnapshot(try f.object("value")))
            })
        case let other: return .other(kind: other, display: r.optionalString("display") ?? other)
        }
    }

    private static func tensor(_ r: Fields) throws -> Tensor {
        return try Tensor(shape: try r.ints("shape"), scalars: try r.floats("values"))
    }

    private static func step(_ r: Fields) throws -> TraceStep {
        guard let phase = TraceStep.Phase(rawValue: try r.string("phase")) else { throw EventJSONError(message: "unknown trace phase") }
        let factor: TraceStep.LocalFactor? = try r.has("factor")
            ? { let f = try r.object("factor"); return TraceStep.LocalFactor(terms: f.has("terms") ? try f.strings("terms") : nil,
                                                                                       values: try tensor(try f.object("values"))) }()
            : nil
        // Journals written before flows named their input's node, the layer and the contributions read back
        // without them (-1: unknown node).
        let flows = try r.objects("flows").map { f in
            return TraceStep.Flow(input: try f.string("input"), inputID: f.optionalInt("node") ?? -1, argument: f.optionalInt("argument") ?? 0,
                                  gradient: try tensor(try f.object("gradient")), how: f.optionalString("how"),
                                  unreduced: f.has("unreduced") ? try tensor(try f.object("unreduced")) : nil)
        }
        let contributions = try (r.has("contributions") ? r.objects("contributions") : []).map { c in
            return TraceStep.Contribution(from: try c.string("from"), fromID: try c.int("node"), argument: try c.int("argument"),
                                          gradient: try tensor(try c.object("gradient")))
        }
        let layer: TraceStep.Layer? = try r.has("layer") ? {
            let l = try r.object("layer")
            return TraceStep.Layer(id: try l.int("id"), name: try l.string("name"), kind: try l.string("kind"), index: try l.int("index"),
                                   path: try l.strings("path"))
        }() : nil
        return TraceStep(phase: phase, name: try r.string("name"), nodeID: try r.int("node"), op: r.optionalString("op"),
                         inputs: try r.strings("inputs"), inputIDs: r.has("inputNodes") ? try r.ints("inputNodes") : [],
                         formula: try r.string("formula"), shape: try r.ints("shape"),
                         value: try tensor(try r.object("value")), isParameter: try r.bool("parameter"), layer: layer,
                         upstream: r.has("upstream") ? try tensor(try r.object("upstream")) : nil, contributions: contributions,
                         rule: r.optionalString("rule"), factor: factor, flows: flows)
    }

    private static func range(_ r: Fields) throws -> SourceRange {
        return SourceRange(SourceLocation(line: try r.int("line"), column: try r.int("column"), offset: 0),
                           SourceLocation(line: try r.int("endLine"), column: try r.int("endColumn"), offset: 0))
    }

    private static func report(_ r: Fields) throws -> ErrorReport {
        let kind = MaplError.Kind(rawValue: try r.string("kind")) ?? .runtime
        let error = MaplError(kind, try r.string("message"), at: try range(try r.object("range")))
        return ErrorReport(error: error, rendered: try r.string("rendered"))
    }
}

/// Typed reads of a decoded JSON object, with errors that name the field. Numbers come from their digits:
/// a double field as the nearest double, a float field as the nearest float (not rounded twice through a
/// double); numbers JSON cannot hold are the strings "nan", "inf" and "-inf".
private struct Fields {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }

    func has(_ key: String) -> Bool {
        if let v = value[key], v != .null { return true }
        return false
    }
    func fail(_ key: String, _ what: String) -> EventJSONError { EventJSONError(message: "'\(key)' must be \(what)") }

    func string(_ key: String) throws -> String {
        guard case .string(let s)? = value[key] else { throw fail(key, "a string") }
        return s
    }
    func optionalString(_ key: String) -> String? { if case .string(let s)? = value[key] { return s }; return nil }
    func bool(_ key: String) throws -> Bool {
        guard case .bool(let b)? = value[key] else { throw fail(key, "true or false") }
        return b
    }
    static func integer(_ v: JSONValue?) -> Int? {
        guard case .number(let n)? = v else { return nil }
        return n.exactInteger ?? Int(exactly: n.double)
    }
    func int(_ key: String) throws -> Int {
        guard let i = Fields.integer(value[key]) else { throw fail(key, "a whole number") }
        return i
    }
    func optionalInt(_ key: String) -> Int? { Fields.integer(value[key]) }
    /// `key` (rows) of a grid whose other side is `other` (columns), checked to hold exactly `count` cells:
    /// the renderers index `values[r * columns + c]` without looking.
    func side(_ key: String, of count: Int, by other: String) throws -> Int {
        let rows = try int(key), columns = try int(other)
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, cells == count else {
            throw EventJSONError(message: "'\(key)' × '\(other)' (\(rows) × \(columns)) must be the number of values, \(count)")
        }
        return rows
    }
    /// A number as `T` from its digits, or one of the strings that stand for a number JSON cannot hold.
    static func number<T: BinaryFloatingPoint>(_ v: JSONValue?, _ read: (JSONNumber) -> T) -> T? {
        switch v {
        case .number(let n)?: return read(n)
        case .string("nan")?: return .nan
        case .string("inf")?: return .infinity
        case .string("-inf")?: return -.infinity
        default: return nil
        }
    }
    func double(_ key: String) throws -> Double {
        guard let x = Fields.number(value[key], \.double) else { throw fail(key, "a number") }
        return x
    }
    func optionalDouble(_ key: String) -> Double? { Fields.number(value[key], \.double) }
    func float(_ key: String) throws -> Float {
        guard let x = Fields.number(value[key], \.float) else { throw fail(key, "a number") }
        return x
    }
    func optionalFloat(_ key: String) -> Float? { Fields.number(value[key], \.float) }
    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let a)? = value[key] else { throw fail(key, "a list") }
        return a
    }
    func object(_ key: String) throws -> Fields {
        guard let o = value[key], case .object = o else { throw fail(key, "an object") }
        return Fields(o)
    }
    func objects(_ key: String) throws -> [Fields] {
        try array(key).map { item in
            guard case .object = item else { throw fail(key, "a list of objects") }
            return Fields(item)
        }
    }
    func strings(_ key: String) throws -> [String] {
        try array(key).map { item in
            guard case .string(let s) = item else { throw fail(key, "a list of strings") }
            return s
        }
    }
    func ints(_ key: String) throws -> [Int] {
        try array(key).map { item in
            guard let i = Fields.integer(item) else { throw fail(key, "a list of whole numbers") }
            return i
        }
    }
    func doubles(_ key: String) throws -> [Double] {
        try array(key).map { item in
            guard let x = Fields.number(item, \.double) else { throw fail(key, "a list of numbers") }
            return x
        }
    }
    func floats(_ key: String) throws -> [Float] {
        try array(key).map { item in
            guard let x = Fields.number(item, \.float) else { throw fail(key, "a list of numbers") }
            return x
        }
    }
}
