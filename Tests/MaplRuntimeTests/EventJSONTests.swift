import XCTest
import Foundation
import MaplEngine
import MaplFrontEnd
import MaplLang
import MaplRuntime

/// The JSON event stream: every event survives encode → decode, so a journal prints exactly as the run did.
final class EventJSONTests: XCTestCase {
    private static let sessions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sessions")

    /// Runs a file as one cell and returns its events.
    private func run(_ source: String, origin: String) -> [DisplayEvent] {
        let session = Session()
        defer { session.shutdown() }
        session.submit(source, origin: origin)
        return session.eventsUntilCellEnds()
    }

    private func text(_ events: [DisplayEvent]) -> String {
        let r = TextRenderer(style: .ascii)
        return events.flatMap { e -> [String] in
            switch e {
            case .error(let rep), .interrupted(let rep): return ["!" + rep.rendered]
            default: return r.lines(for: e)
            }
        }.joined(separator: "\n")
    }

    /// The curated sessions that run in seconds without MNIST: their stream read back prints byte for byte
    /// what the run printed, and holds the typed events the session makes.
    func testCuratedSessionsRoundTripThroughJSON() throws {
        let expected: [String: [String]] = [
            "01-neuron.mapl": ["text"],
            "02-regression.mapl": ["plot"],
            "03-worked-example.mapl": ["graph", "trace"],
            "04-xor.mapl": ["table", "plot"],
            "demo.mapl": ["table", "fitStarted", "batch", "epoch", "fitEnded", "plot"],
        ]
        for (name, kinds) in expected.sorted(by: { $0.key < $1.key }) {
            let source = try String(contentsOf: EventJSONTests.sessions.appendingPathComponent(name), encoding: .utf8)
            let events = run(source, origin: name)
            let lines = [EventJSON.header(source: name)] + events.map(EventJSON.encode)
            for line in lines { XCTAssertFalse(line.contains("\n"), "\(name): an event spans lines") }
            let journal = EventJSON.readJournal(lines.joined(separator: "\n") + "\n")
            XCTAssertEqual(journal.warnings, [], name)
            XCTAssertEqual(journal.source, name)
            XCTAssertEqual(journal.events.count, events.count, name)
            XCTAssertEqual(text(journal.events), text(events), "\(name): the journal prints differently")
            let seen = Set(lines.dropFirst().compactMap(EventJSONTests.kind))
            for k in kinds { XCTAssertTrue(seen.contains(k), "\(name) has no '\(k)' event; it has \(seen.sorted())") }
            if case .cellEnded(let end)? = events.last { XCTAssertEqual(end.outcome, .ok, name) }
        }
    }

    /// Every kind of value and picture, including numbers JSON cannot hold, comes back equal.
    func testPayloadsComeBackEqual() throws {
        let events = run("""
            x = [1.5, 0/0, 1/0, -1/0]
            plot([x, [1, 2, 3, 4]], labels=["a", "b"])
            hist(randn(100), bins=7)
            show(rand(28, 28))
            heatmap([[1, 2], [3, 4]])
            warn_me = 1
            report(0.5)
            report(0.25, name="acc", step=10)
            r = evaluate(dense(2, 1), xor(), loss=mse)
            [r, [1, "s", none, true]]
            """, origin: "t")
        if case .cellEnded(let end)? = events.last { XCTAssertEqual(end.outcome, .ok) } else { XCTFail("no end") }
        XCTAssertEqual(events.filter { if case .value = $0 { return true }; return false }.count, 1)
        XCTAssertEqual(events.filter { if case .image = $0 { return true }; return false }.count, 1)
        let decoded = try events.map { try EventJSON.decode(EventJSON.encode($0)) }
        for (a, b) in zip(events, decoded) {
            switch (a, b) {
            case (.plot(let p), .plot(let q)):
                XCTAssertEqual(p.series.map(\.name), q.series.map(\.name))
                XCTAssertEqual(p.series[0].ys[0], 1.5)
                XCTAssertTrue(q.series[0].ys[1].isNaN)
                XCTAssertEqual(q.series[0].ys[2], .infinity)
                XCTAssertEqual(q.series[0].ys[3], -.infinity)
            case (.histogram(let h), .histogram(let k)): XCTAssertEqual(h, k)
            case (.image(let i), .image(let j)):
                XCTAssertEqual(j.pixels.count, 784)
                XCTAssertEqual(i, j)
            case (.heatmap(let h), .heatmap(let k)): XCTAssertEqual(h, k)
            case (.metric(let m), .metric(let n)): XCTAssertEqual(m, n)
            case (.value(let v), .value(let w)):
                XCTAssertEqual(v.printed, w.printed)
                guard case .list(let outer) = w.value, case .record(let fields) = outer[0], case .list(let items) = outer[1] else {
                    return XCTFail("list of a record and a list: \(w.printed)")
                }
                XCTAssertEqual(fields.map(\.name), ["loss", "accuracy"])
                XCTAssertEqual(items.map(\.kind), ["number", "string", "none", "bool"])
            default: XCTAssertEqual(EventJSON.encode(a), EventJSON.encode(b))
            }
        }
        XCTAssertTrue(decoded.contains { if case .metric(let m) = $0 { return m.name == "acc" && m.step == 10 }; return false })
    }

    /// A trace through a model keeps, through JSON, each step's layer, its uses' shares, the flows' node, operand,
    /// how and unsummed term, and the inputs' node ids — what the stepper needs to replay a journal.
    func testTraceStepsKeepTheirLayersSharesAndFlows() throws {
        let events = run("""
            seed(2)
            m = dense(2, 3) >> relu
            w = param([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
            h = m([[1, 2], [3, 4]])
            trace(sum(h * h) + sum(w * w))
            """, origin: "t")
        let traces = events.compactMap { e -> TraceData? in if case .trace(let t) = e { return t }; return nil }
        let original = try XCTUnwrap(traces.first).steps
        guard case .trace(let back)? = try? EventJSON.decode(EventJSON.encode(.trace(try XCTUnwrap(traces.first)))) else {
            return XCTFail("the trace does not read back")
        }
        let decoded = back.steps
        XCTAssertEqual(decoded.all.count, original.all.count)
        XCTAssertTrue(original.forward.contains { $0.layer?.name == "dense(2, 3)" })
        XCTAssertTrue(original.backward.contains { $0.contributions.count == 2 })
        for (a, b) in zip(original.all, decoded.all) {
            XCTAssertEqual(a.inputIDs, b.inputIDs)
            XCTAssertEqual(a.layer, b.layer)
            XCTAssertEqual(a.contributions.map(\.fromID), b.contributions.map(\.fromID))
            XCTAssertEqual(a.contributions.map(\.argument), b.contributions.map(\.argument))
            XCTAssertEqual(a.contributions.map(\.gradient.scalars), b.contributions.map(\.gradient.scalars))
            XCTAssertEqual(a.flows.map(\.inputID), b.flows.map(\.inputID))
            XCTAssertEqual(a.flows.map(\.how), b.flows.map(\.how))
            XCTAssertEqual(a.flows.map { $0.unreduced?.scalars }, b.flows.map { $0.unreduced?.scalars })
        }
        // A step written before these fields existed still reads, without them.
        let old = #"{"event":"trace","root":"L","precision":4,"note":null,"forward":[{"phase":"forward","name":"w","node":1,"op":null,"inputs":[],"formula":"w (parameter)","shape":[1],"value":{"shape":[1],"values":[2]},"parameter":true,"upstream":null,"rule":null,"factor":null,"flows":[]}],"backward":[]}"#
        guard case .trace(let legacy)? = try? EventJSON.decode(old) else { return XCTFail("an older trace does not read") }
        XCTAssertEqual(legacy.steps.forward.first?.inputIDs, [])
        XCTAssertNil(legacy.steps.forward.first?.layer)
        XCTAssertEqual(legacy.steps.forward.first?.requiresGrad, true)
    }

    /// Pausing, one step's report and stopping come back equal, and print as the run printed them.
    func testPausedRunsComeBackEqual() throws {
        let events = run("""
            seed(1)
            m = dense(2, 3) >> dense(3, 2)
            d = spirals(10, 2)
            h = fit(m, d, epochs=2, batch=4, pause=true)
            resume(training, batches=1)
            stop(training)
            """, origin: "t")
        let pauses = events.compactMap { e -> TrainingPaused? in if case .training(.paused(let p)) = e { return p }; return nil }
        XCTAssertEqual(pauses.map(\.cause), [.start, .batches])
        XCTAssertTrue(events.contains { if case .training(.fitEnded(let f)) = $0 { return f.reason == .stopped }; return false })
        XCTAssertTrue(events.contains { if case .table(let t) = $0 { return t.header.last == "‖Δθ‖/‖θ‖" }; return false })
        let decoded = try events.map { try EventJSON.decode(EventJSON.encode($0)) }
        XCTAssertEqual(decoded.compactMap { e -> TrainingPaused? in if case .training(.paused(let p)) = e { return p }; return nil }, pauses)
        for (a, b) in zip(events, decoded) { XCTAssertEqual(EventJSON.encode(a), EventJSON.encode(b)) }
        XCTAssertEqual(text(decoded), text(events))
        XCTAssertTrue(EventJSON.encode(events.first { if case .training(.paused) = $0 { return true }; return false }!)
            .hasPrefix(#"{"event":"paused","epoch":1,"epochs":2,"batch":1,"batchesPerEpoch":5,"batchesTrained":0,"loss":"#))
    }

    /// Every double a journal holds reads back bit for bit: the writer's shortest round-trip digits, read by an
    /// exact parser. Random bit patterns (every exponent, subnormals included) and the edges by hand.
    func testEveryDoubleReadsBackBitForBit() throws {
        var g = SystemRandomNumberGenerator()
        var xs: [Double] = [0, -0.0, 1e308, -1e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                            -.leastNonzeroMagnitude, .leastNormalMagnitude, Double.leastNormalMagnitude.nextDown, 5e-324, 1e-320,
                            0.6506489515304563, 0.6506489515304565, 0.1, 1.0 / 3, 1e15, 1e15 + 1, 9007199254740993, 123456789012345678,
                            .infinity, -.infinity, .nan]
        xs += (0..<20_000).map { _ in Double(bitPattern: g.next()) }.filter { !$0.isNaN }
        xs += (0..<2_000).map { _ in Double(bitPattern: g.next() & 0x000F_FFFF_FFFF_FFFF | (g.next() & (1 << 63))) }  // subnormals
        for x in xs {
            guard case .metric(let m) = try EventJSON.decode(EventJSON.encode(.metric(MetricData(name: "x", value: x, step: x)))) else {
                return XCTFail("\(x) does not read back as a metric")
            }
            if x.isNaN { XCTAssertTrue(m.value.isNaN); continue }
            XCTAssertEqual(m.value.bitPattern, x.bitPattern, "\(x) read back as \(m.value)")
            XCTAssertEqual(m.step.bitPattern, x.bitPattern, "\(x) read back as \(m.step)")
        }
        // nan and the infinities as the format writes them (docs/events.md): strings.
        XCTAssertEqual(EventJSON.encode(.metric(MetricData(name: "x", value: .nan, step: -.infinity))),
                       #"{"event":"metric","name":"x","value":"nan","step":"-inf"}"#)
        XCTAssertEqual(EventJSON.encode(.metric(MetricData(name: "x", value: .infinity, step: 0.6506489515304563))),
                       #"{"event":"metric","name":"x","value":"inf","step":0.6506489515304563}"#)
    }

    /// Every float32 (tensor values, pixels) reads back bit for bit, read from its own digits as a float —
    /// not through a double, which can round twice.
    func testEveryFloatReadsBackBitForBit() throws {
        var g = SystemRandomNumberGenerator()
        var xs: [Float] = [0, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                           Float.leastNormalMagnitude.nextDown, 0.1, 16_777_217, 1e7, 3.4e38, .infinity, -.infinity]
        xs += (0..<40_000).map { _ in Float(bitPattern: UInt32.random(in: .min ... .max, using: &g)) }.filter { !$0.isNaN }
        xs += (0..<4_000).map { _ in Float(bitPattern: UInt32.random(in: 0 ..< 0x0080_0000, using: &g) | (Bool.random(using: &g) ? 1 << 31 : 0)) }
        let line = EventJSON.encode(.heatmap(HeatmapData(rows: 1, columns: xs.count + 1, values: xs + [.nan], sourceRows: 1,
                                                         sourceColumns: xs.count + 1, min: .leastNonzeroMagnitude, max: 3.4e38)))
        guard case .heatmap(let h) = try EventJSON.decode(line) else { return XCTFail("the heatmap does not read back") }
        XCTAssertEqual(h.values.dropLast().map(\.bitPattern), xs.map(\.bitPattern))
        XCTAssertTrue(h.values.last?.isNaN == true)
        XCTAssertEqual(h.min.bitPattern, Float.leastNonzeroMagnitude.bitPattern)
        XCTAssertEqual(h.max, 3.4e38)
    }

    /// Every number in the curated sessions' journals reads back exactly: decoding and encoding again gives the
    /// same line, character for character (the writer's digits are the shortest that identify the number, so a
    /// number that lost a bit would be written differently). The sessions that take seconds here (a debug
    /// build) — the worked example, the lecture and the small fits; the heavy ones are checked through the CLI.
    func testEveryNumberInTheCuratedSessionsJournalsReadsBack() throws {
        var checked = 0
        for name in ["01-neuron.mapl", "02-regression.mapl", "03-worked-example.mapl", "04-xor.mapl", "11-backprop-lecture.mapl", "demo.mapl"] {
            let source = try String(contentsOf: EventJSONTests.sessions.appendingPathComponent(name), encoding: .utf8)
            for line in run(source, origin: name).map(EventJSON.encode) {
                XCTAssertEqual(EventJSON.encode(try EventJSON.decode(line)), line, "\(name): a line does not read back as written")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// A trained session's journal passes the rerun check: every batch's loss reads back as the double it was
    /// (a 3-epoch fit's losses differed in their last bit when read through JSONSerialization).
    func testATrainedSessionPassesTheRerunCheck() throws {
        let source = """
            seed(7)
            m = dense(2, 8) >> tanh >> dense(8, 2)
            d = spirals(24, 2)
            h = fit(m, d, epochs=3, batch=8)
            h.loss
            """
        let events = run(source, origin: "tiny.mapl")
        XCTAssertTrue(events.contains { if case .training(.batch) = $0 { return true }; return false })
        let lines = [EventJSON.header(source: "tiny.mapl")] + events.map(EventJSON.encode)
        let script = ReplayScript(text: lines.joined(separator: "\n") + "\n", path: "t.jsonl")
        XCTAssertEqual(script.warnings, [])
        XCTAssertEqual(script.cells.count, 1)
        XCTAssertNil(RerunCheck.run(script).map(String.init(describing:)))
    }

    /// The writer and the reader agree on every value the language can make: each echoed value — lists nested
    /// past the depth a snapshot copies (9 and more deep were written without `items`, then skipped as
    /// malformed), records, tensors small, empty and too large to copy, strings with quotes and control
    /// characters, numbers JSON cannot hold, models, optimizers, datasets, functions — reads back and is
    /// written again character for character.
    func testEveryValueTheLanguageMakesReadsBack() throws {
        let session = Session()
        defer { session.shutdown() }
        let cells = [
            "[[[[[[[[[[[[1]]]]]]]]]]]]", "[[[[[[[[[2, [3]]]]]]]]]]", "[]", "[[], [[]], none, true, false]",
            "evaluate(dense(2, 1), xor(), loss=mse)", "[evaluate(dense(2, 1), xor(), loss=mse), [[[[[[[[[[4]]]]]]]]]]]",
            "1.5", "-0.0", "0/0", "1/0", "-1/0", "1e308", "5e-324", "0.1 + 0.2",
            #""quote \" backslash \\ tab \t newline \n é 中 👍🏽""#,
            "zeros(0)", "randn(3, 4)", "param([1.0, -2.5])", "zeros(300, 300)", "randn(2, 2, 2, 2, 2, 2, 2, 2, 2)",
            "dense(2, 3) >> relu >> dense(3, 1)", "sgd(dense(2, 1), lr=0.1)", "spirals(4, 2)", "x -> x * 2", "print",
            "seed(1); fit(dense(2, 2), spirals(4, 2), epochs=1, batch=4)",
        ]
        var values = 0
        for (i, cell) in cells.enumerated() {
            session.submit(cell, origin: "<cell \(i + 1)>")
            for event in session.eventsUntilCellEnds() {
                let line = EventJSON.encode(event)
                XCTAssertEqual(try EventJSON.encode(EventJSON.decode(line)), line, "\(cell): \(line.prefix(300))")
                if case .value = event { values += 1 }
                if case .error(let r) = event { XCTFail("\(cell): \(r.rendered)") }
            }
        }
        XCTAssertEqual(values, cells.count)
    }

    /// What the presentation builtins draw travels whole: `show(d, 0..15)`'s sheet of samples with their labels,
    /// `hist(a, b)`'s peer on the same bins, a matrix's grid, and a trace's `show_limit` and quiz. Each payload
    /// reads back with the same fields, and is written again character for character.
    func testSheetsPeersGridsAndShowLimitsReadBack() throws {
        let events = run("""
            x = reshape(arange(16 * 16), 16, 1, 4, 4) / 256
            d = dataset(x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5])
            show(d, 0..15)
            a = [0, 1, 1, 2, 2, 2]
            hist(a, a + 2, bins=4, names=["before", "after"])
            show_limit(20)
            w = param([1.0, -2.0])
            trace(sum(w * w), quiz=true)
            reshape(arange(12), 4, 3) - 5.5
            """, origin: "t")
        if case .cellEnded(let end)? = events.last { XCTAssertEqual(end.outcome, .ok) } else { XCTFail("no end") }
        var seen: Set<String> = []
        for event in events {
            let line = EventJSON.encode(event)
            let decoded = try EventJSON.decode(line)
            XCTAssertEqual(EventJSON.encode(decoded), line, String(line.prefix(300)))
            switch (event, decoded) {
            case (.image(let i), .image(let j)):
                // 16 samples of 4×4, labelled as the dataset labels them (by hand: 0…9, then 0…5).
                XCTAssertEqual(j.sheet.count, 16)
                XCTAssertEqual(j.sheet.map(\.label), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "2", "3", "4", "5"])
                XCTAssertEqual(j.sheet.map(\.pixels.count), Array(repeating: 16, count: 16))
                XCTAssertEqual(i, j)
                seen.insert("sheet")
            case (.histogram(let h), .histogram(let k)):
                // By hand: a = 0,1,1,2,2,2 and a + 2 on 4 bins over 0…4.
                XCTAssertEqual(k.counts, [1, 2, 3, 0])
                XCTAssertEqual(k.peers.map(\.counts), [[0, 0, 1, 5]])
                XCTAssertEqual(([k] + k.peers).map(\.title), ["before", "after"])
                XCTAssertEqual(h, k)
                seen.insert("peers")
            case (.trace(let t), .trace(let u)):
                XCTAssertEqual(u.showLimit, 20)
                XCTAssertTrue(u.quiz)
                XCTAssertEqual(u.precision, t.precision)
                XCTAssertEqual(u.steps.all.map(\.formula), t.steps.all.map(\.formula))
                seen.insert("trace")
            case (.value(let v), .value(let w)):
                let g = try XCTUnwrap(v.grid), h = try XCTUnwrap(w.grid, "the grid did not read back")
                XCTAssertEqual(h.heading, "tensor [4, 3]")
                XCTAssertEqual(h.heading, g.heading)
                XCTAssertEqual(h.grid.shape, [4, 3])
                XCTAssertEqual(h.grid.lines, g.grid.lines)
                XCTAssertEqual(h.grid.precision, g.grid.precision)
                XCTAssertEqual(h.grid.maxRows, g.grid.maxRows)
                for k in g.grid.lines.indices {
                    for width in [8, 40] { XCTAssertEqual(h.grid.line(k, width: width, ascii: true), g.grid.line(k, width: width, ascii: true)) }
                }
                // The first row's numbers, by hand: 0 − 5.5, 1 − 5.5, 2 − 5.5.
                let first = h.grid.line(0, width: 80, ascii: true).map(\.text).joined()
                XCTAssertEqual(first.split(separator: " ").compactMap { Double($0) }, [-5.5, -4.5, -3.5], first)
                seen.insert("grid")
            default: break
            }
        }
        XCTAssertEqual(seen, ["sheet", "peers", "trace", "grid"])
        XCTAssertEqual(text(try events.map { try EventJSON.decode(EventJSON.encode($0)) }), text(events))

        // Lines written before these fields existed read back without them.
        guard case .histogram(let h) = try EventJSON.decode(#"{"event":"histogram","title":"a","counts":[1,2],"low":0,"high":1,"nonFinite":0}"#),
              case .image(let i) = try EventJSON.decode(#"{"event":"image","rows":1,"columns":2,"pixels":[0,1],"low":0,"high":1,"caption":null,"label":"3","probabilities":null}"#),
              case .value(let v) = try EventJSON.decode(#"{"event":"value","printed":"1","value":{"kind":"number","number":1}}"#),
              case .trace(let t) = try EventJSON.decode(#"{"event":"trace","root":"L","precision":4,"note":null,"forward":[],"backward":[]}"#) else {
            return XCTFail("an older line does not read back as its kind")
        }
        XCTAssertEqual(h.peers, [])
        XCTAssertEqual(i.sheet, [])
        XCTAssertNil(v.grid)
        XCTAssertNil(t.showLimit)
        XCTAssertFalse(t.quiz)
    }

    /// The new fields are checked like the old: a sheet image whose size does not match its pixels, a peer with a
    /// negative count, a grid whose tensor lacks its values or has a negative side, a show limit out of range —
    /// each line is skipped with a warning, not drawn.
    func testSheetsPeersGridsAndShowLimitsAreChecked() throws {
        let tile = ImageData(rows: 1, columns: 2, pixels: [0, 1], label: "3")
        let image = EventJSON.encode(.image(ImageData(rows: 1, columns: 2, pixels: [0, 1], sheet: [tile, tile])))
        let histogram = EventJSON.encode(.histogram(HistogramData(counts: [1, 2], low: 0, high: 1, peers: [HistogramData(counts: [3, 4], low: 0, high: 1)])))
        let matrix = ValueSnapshot.tensor(TensorSnapshot(shape: [2, 2], isParameter: false, requiresGrad: false, values: [1, 2, 3, 4], min: 1, max: 4, mean: 2.5))
        let value = EventJSON.encode(.value(EchoedValue(value: matrix, printed: "m", grid: ValueGrid(heading: "tensor [2, 2]",
                                                                                                   grid: MatrixGrid(shape: [2, 2], values: [1, 2, 3, 4], precision: 4)))))
        let trace = EventJSON.encode(.trace(TraceData(steps: TraceSteps(root: "y", forward: [], backward: [], note: nil), precision: 4, showLimit: 20)))
        for line in [image, histogram, value, trace] { XCTAssertNoThrow(try EventJSON.decode(line), line) }
        func edited(_ line: String, _ from: String, _ to: String) -> String {
            XCTAssertTrue(line.contains(from), "\(line) lacks \(from)")
            return line.replacingOccurrences(of: from, with: to)
        }
        let bad = [
            edited(image, #"{"rows":1,"columns":2,"pixels":[0,1],"low":null,"high":null,"caption":null,"label":"3""#,
                   #"{"rows":5,"columns":2,"pixels":[0,1],"low":null,"high":null,"caption":null,"label":"3""#),
            edited(histogram, "[3,4]", "[-3,4]"),
            edited(value, #""values":[1,2,3,4]"#, #""values":null"#),
            edited(value, #""shape":[2,2]"#, #""shape":[-2,-2]"#),
            edited(value, #""precision":4"#, #""precision":99"#),
            edited(trace, #""showLimit":20"#, #""showLimit":-1"#),
        ]
        let journal = EventJSON.readJournal(([EventJSON.header(source: "x")] + bad + [image]).joined(separator: "\n"))
        XCTAssertEqual(journal.warnings.count, bad.count, "\(journal.warnings)")
        XCTAssertEqual(journal.events.count, 1)
    }

    /// A journal with Windows line endings ("\r\n") reads as the same events as with "\n".
    func testCRLFLineEndingsReadLikeNewlines() throws {
        let events = run("seed(3)\nprint(\"a\")\nhist(randn(50), bins=4)\nheatmap([[1, 2], [3, 4]])\n1 + 1", origin: "crlf.mapl")
        let lines = [EventJSON.header(source: "crlf.mapl")] + events.map(EventJSON.encode)
        let journal = EventJSON.readJournal(lines.joined(separator: "\r\n") + "\r\n")
        XCTAssertEqual(journal.warnings, [])
        XCTAssertEqual(journal.source, "crlf.mapl")
        XCTAssertEqual(journal.events.map(EventJSON.encode), events.map(EventJSON.encode))
    }

    /// A journal cut short by a crash, or with a damaged line, still opens: the bad lines are named.
    func testADamagedJournalOpensWithWarnings() {
        let good = EventJSON.encode(.text("hello"))
        let journal = EventJSON.readJournal([EventJSON.header(source: "x"), good, "{\"event\":\"text\",\"te", "not json", good, "{\"event\":\"nope\"}",
                                             String(good.prefix(10))].joined(separator: "\n"))
        XCTAssertEqual(journal.events.count, 2)
        XCTAssertEqual(journal.warnings.count, 4)
        XCTAssertTrue(journal.warnings[0].hasPrefix("line 3:"), journal.warnings[0])
        XCTAssertTrue(journal.warnings.contains { $0.contains("unknown event 'nope'") })
    }

    /// A journal is a file a user opens (`mapl journal`, the notebook's `:load`): the sizes its pictures
    /// declare are checked against their values, and the numbers the drawing turns into cells are finite,
    /// so a hand-edited line is skipped with a warning instead of indexing past a buffer or converting NaN.
    func testAJournalsPictureSizesAndRangesAreChecked() throws {
        let image = EventJSON.encode(.image(ImageData(rows: 2, columns: 2, pixels: [0, 1, 0, 1])))
        let heatmap = EventJSON.encode(.heatmap(HeatmapData(rows: 1, columns: 2, values: [0, 1], sourceRows: 1, sourceColumns: 2, min: 0, max: 1)))
        let histogram = EventJSON.encode(.histogram(HistogramData(counts: [1, 2], low: -1, high: 1)))
        let trace = EventJSON.encode(.trace(TraceData(steps: TraceSteps(root: "y", forward: [], backward: [], note: nil), precision: 4)))
        for line in [image, heatmap, histogram, trace] { XCTAssertNoThrow(try EventJSON.decode(line), line) }
        func edited(_ line: String, _ from: String, _ to: String) -> String {
            XCTAssertTrue(line.contains(from), "\(line) lacks \(from)")
            return line.replacingOccurrences(of: from, with: to)
        }
        let bad = [
            edited(image, "\"rows\":2", "\"rows\":3"),                         // 6 cells, 4 pixels
            edited(image, "\"rows\":2", "\"rows\":-2"),
            edited(image, "\"rows\":2,\"columns\":2", "\"rows\":4294967296,\"columns\":4294967296"),  // 2^64 cells
            edited(heatmap, "\"rows\":1", "\"rows\":1000"),
            edited(histogram, "\"low\":-1", "\"low\":\"-inf\""),
            edited(histogram, "\"high\":1", "\"high\":\"nan\""),
            edited(histogram, "\"low\":-1,\"high\":1", "\"low\":1,\"high\":-1"),
            edited(histogram, "[1,2]", "[9223372036854774784,9223372036854774784]"),  // their sum overflows
            edited(histogram, "[1,2]", "[-5,1]"),
            edited(trace, "\"precision\":4", "\"precision\":4611686018427387904"),
        ]
        let journal = EventJSON.readJournal(([EventJSON.header(source: "x")] + bad + [image]).joined(separator: "\n"))
        XCTAssertEqual(journal.warnings.count, bad.count, "\(journal.warnings)")
        XCTAssertEqual(journal.events.count, 1)
        // What is kept draws.
        XCTAssertFalse(TextRenderer(style: .ascii).lines(for: journal.events[0]).isEmpty)
    }

    static func kind(_ line: String) -> String? {
        guard let start = line.range(of: "\"event\":\""), let end = line[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(line[start.upperBound..<end])
    }
}
