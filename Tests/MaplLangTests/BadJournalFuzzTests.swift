import XCTest
@testable import MaplLang

/// Journals as a hostile user and a failing machine leave them — mutated, truncated, with CRLF line ends,
/// nested, huge — through the reader: it never traps or refuses, every line is either an event or a warning
/// that names it (no line is lost silently), and what it accepts the writer writes back.
final class BadJournalFuzzTests: XCTestCase {
    /// One of every kind of line a journal holds, values nested as deep as the language copies them.
    static let events: [DisplayEvent] = {
        var nested = ValueSnapshot.list([.number(1)])
        for depth in 0..<7 {
            nested = depth.isMultiple(of: 2) ? .list([nested, .string("s"), .none]) : .record([.init(name: "f", value: nested)])
        }
        return [
            .cellQueued(CellInfo(number: 1, source: "x = [1, 2]\nprint(\"é\")", origin: "<cell 1>")),
            .cellStarted(CellInfo(number: 1, source: "x = [1, 2]\nprint(\"é\")", origin: "<cell 1>")),
            .text("é 中 \"quoted\" \\ \u{1B}[2J"),
            .value(EchoedValue(value: nested, printed: "[[…]]")),
            .value(EchoedValue(value: .other(kind: "list", display: "[[[[[[[[[1]]]]]]]]]"), printed: "[[[[[[[[[1]]]]]]]]]")),
            .plot(PlotData(series: [.init(name: "loss", xs: [1, 2, 3], ys: [0.5, .nan, -.infinity])], title: "t")),
            .histogram(HistogramData(counts: [1, 2, 3], low: -1, high: 1, nonFinite: 1, title: "h")),
            .image(ImageData(rows: 2, columns: 2, pixels: [0, 0.25, 0.5, 1], caption: "c")),
            .heatmap(HeatmapData(rows: 1, columns: 3, values: [1, 2, 3], sourceRows: 1, sourceColumns: 3, min: 1, max: 3)),
            .table(TableData(header: ["a", "b"], rows: [["1", "2"]], alignments: [.left, .right], notes: ["n"])),
            .training(.batch(BatchProgress(epoch: 1, epochs: 2, batch: 1, batchesPerEpoch: 3, loss: 0.6506489515304563, accuracy: nil,
                                           samplesPerSecond: 1e3, eta: 2))),
            .training(.epoch(EpochProgress(epoch: 1, epochs: 2, loss: [0.5], valLoss: [], valAccuracy: [], accuracy: 0.25, seconds: 0.5,
                                           stoppedEarly: false))),
            .metric(MetricData(name: "m", value: Double.leastNonzeroMagnitude, step: 1)),
            .warning(WarningData(message: "w")),
            .trace(TraceData(steps: TraceSteps(root: "y", forward: [], backward: [], note: nil), precision: 4)),
            .cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 0.01)),
        ]
    }()

    static let lines = [EventJSON.header(source: "fuzz.mapl")] + events.map(EventJSON.encode)
    static let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)

    /// Reads `bytes` and checks the reader's promise; returns the events.
    @discardableResult
    private func read(_ bytes: [UInt8], _ what: String) -> (events: [DisplayEvent], warnings: [String]) {
        var events: [DisplayEvent] = [], warnings: [String] = [], headers = 0
        for item in JournalReader(bytes: bytes) {
            switch item {
            case .header: headers += 1
            case .event(let e): events.append(e)
            case .warning(let w): warnings.append(w)
            }
        }
        let nonBlank = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().filter { i, line in
            !(i == 0 ? Array(line.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }) : Array(line)).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }.count
        let skipped = warnings.filter { $0.hasSuffix(", skipped") }.count  // (a newer version is read, with a warning)
        XCTAssertEqual(events.count + skipped + headers, nonBlank, "\(what): a line was lost without a warning")
        for w in warnings { XCTAssertTrue(w.hasPrefix("line "), "\(what): \(w)") }
        for e in events {
            let line = EventJSON.encode(e)
            XCTAssertEqual(try? EventJSON.encode(EventJSON.decode(line)), line, "\(what): an accepted event does not write back")
        }
        return (events, warnings)
    }

    func testTheIntactJournalReadsWhole() {
        let (events, warnings) = read(BadJournalFuzzTests.bytes, "intact")
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(events.map(EventJSON.encode), BadJournalFuzzTests.events.map(EventJSON.encode))
    }

    /// Bytes flipped, inserted and deleted anywhere.
    func testMutatedJournals() {
        var g = FuzzGenerator(state: 19)
        let base = BadJournalFuzzTests.bytes
        for round in 0..<600 {
            var b = base
            for _ in 0...g.below(4) {
                let at = g.below(b.count)
                switch g.below(4) {
                case 0: b[at] = UInt8(truncatingIfNeeded: g.next())
                case 1: b.insert(g.pick([0x0A, 0x0D, 0x22, 0x5C, 0x7B, 0x5D, 0x00, 0xC3, 0xFF, 0x2C]), at: at)
                case 2: b.remove(at: at)
                default: b[at] ^= 1 << UInt8(g.below(8))
                }
            }
            read(b, "mutation \(round)")
        }
    }

    /// Cut at every byte, as a crash mid-write leaves it: every complete line reads, the cut one is named.
    func testTruncatedJournals() {
        let base = BadJournalFuzzTests.bytes
        for cut in 0...base.count {
            let prefix = Array(base[0..<cut])
            let (events, warnings) = read(prefix, "cut at \(cut)")
            let complete = prefix.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().count
            XCTAssertGreaterThanOrEqual(events.count, complete - 1, "cut at \(cut)")
            XCTAssertLessThanOrEqual(warnings.count, 1, "cut at \(cut): \(warnings)")
        }
    }

    /// CRLF and mixed line ends read as the same events.
    func testCRLFJournals() {
        var g = FuzzGenerator(state: 5)
        let expected = BadJournalFuzzTests.events.map(EventJSON.encode)
        for round in 0..<50 {
            let text = BadJournalFuzzTests.lines.map { $0 + (g.chance(50) ? "\r\n" : "\n") }.joined()
            let (events, warnings) = read(Array(text.utf8), "crlf \(round)")
            XCTAssertEqual(warnings, [])
            XCTAssertEqual(events.map(EventJSON.encode), expected)
        }
        let (events, _) = read(Array(("\u{FEFF}" + BadJournalFuzzTests.lines.joined(separator: "\r\n")).utf8), "BOM, no final newline")
        XCTAssertEqual(events.map(EventJSON.encode), expected)
    }

    /// Nesting far past anything written, in arrays and objects, and values nested as deep as the writer goes.
    func testNestedJournals() {
        for depth in [9, 63, 64, 65, 1000, 100_000] {
            let open = String(repeating: "[", count: depth), close = String(repeating: "]", count: depth)
            let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            let text = [#"{"event":"text","text":"before"}"#, #"{"event":"plot","title":"x","xLabel":null,"series":\#(open)\#(close)}"#,
                        #"{"event":"value","printed":"x","value":\#(objects)}"#, #"{"event":"text","text":"after"}"#].joined(separator: "\n")
            let (events, _) = read(Array(text.utf8), "nested \(depth)")
            XCTAssertEqual(events.count, 2 + (depth == 1 ? 2 : 0), "nested \(depth): the lines around it read")
        }
    }

    /// Lines of megabytes, numbers of hundreds of digits, sizes that overflow.
    func testHugeJournals() {
        let digits = "1" + String(repeating: "0", count: 400)
        let long = String(repeating: "é", count: 3_000_000)
        let lines = [
            #"{"event":"text","text":"\#(long)"}"#,
            #"{"event":"epoch","epoch":1,"epochs":1,"loss":[\#(digits)],"valLoss":[],"valAccuracy":[],"accuracy":null,"seconds":\#(digits),"stoppedEarly":false}"#,
            #"{"event":"batch","epoch":\#(digits),"epochs":1,"batch":1,"batchesPerEpoch":1,"loss":1,"accuracy":null,"samplesPerSecond":1,"eta":-\#(digits)}"#,
            #"{"event":"image","rows":4294967296,"columns":4294967296,"pixels":[],"low":null,"high":null,"caption":null,"label":null,"probabilities":null}"#,
            #"{"event":"histogram","title":null,"counts":[\#(digits)],"low":0,"high":1,"nonFinite":0}"#,
            #"{"event":"metric","name":"m","value":1e999,"step":-1e-999}"#,
        ]
        let (events, warnings) = read(Array(lines.joined(separator: "\n").utf8), "huge")
        XCTAssertEqual(events.count, 3, "\(warnings)")   // the text, the epoch (seconds inf), the metric (inf, -0)
        if case .text(let s)? = events.first { XCTAssertEqual(s.count, 3_000_000) } else { XCTFail("the long text is lost") }
    }

    /// Read from a file a few bytes at a time (lines and "\r\n" split across reads) with a small line limit:
    /// the same events as from memory; a line over the limit, anywhere (the last one without its newline too),
    /// is skipped unheld and named, and the lines after it read.
    func testAFileReadInSmallChunksWithALineLimit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let long = #"{"event":"text","text":"\#(String(repeating: "x", count: 5000))"}"#
        let lines = BadJournalFuzzTests.lines.prefix(4) + [long] + BadJournalFuzzTests.lines.dropFirst(4) + [long]
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        for chunk in [1, 7, 64, 4096] {
            var events: [String] = [], warnings: [String] = []
            for item in try JournalReader(path: path, lineLimit: 4096, chunkSize: chunk) {
                switch item {
                case .event(let e): events.append(EventJSON.encode(e))
                case .warning(let w): warnings.append(w)
                case .header: break
                }
            }
            XCTAssertEqual(events, BadJournalFuzzTests.events.map(EventJSON.encode), "chunk \(chunk)")
            XCTAssertEqual(warnings, ["line 5: longer than 4096 bytes, skipped", "line \(lines.count): longer than 4096 bytes, skipped"], "chunk \(chunk)")
        }
    }
}
