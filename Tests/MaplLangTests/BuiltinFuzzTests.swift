import XCTest
import Foundation
@testable import MaplLang
import MaplNN

/// The fuzz harness of issue 13: every builtin of the registry called with boundary-value arguments and
/// their combinations, and grammar-built programs with extreme slices, ranges and nesting — all in ONE
/// session, in this process, under an address-space limit (`setrlimit`). Each call must end with a value or
/// a positioned `MaplError` (anything else, or a crash, fails), and after each the session must still run
/// a statement. A call that runs too long is interrupted by a watchdog, as Ctrl-C would, and counted.
///
/// `make test` runs a bounded pass (at least 10⁵ builtin calls, well within 60 s); `make fuzz` sets
/// `MAPL_FUZZ_CALLS` (and `MAPL_FUZZ_SEED`) for a longer one. The figures are printed at the end.
final class BuiltinFuzzTests: XCTestCase {
    static let traceFile: Int32 = ProcessInfo.processInfo.environment["MAPL_FUZZ_TRACE"].map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? -1
    /// MAPL_FUZZ_SLOW=1 prints every program that took more than 50 ms.
    static let reportSlow = ProcessInfo.processInfo.environment["MAPL_FUZZ_SLOW"] != nil

    /// Values every call draws from: bound once, by name, so each call is a short line to parse.
    static let prelude: [(name: String, source: String)] = [
        // numbers at the edges of Int, Double and float32
        ("n0", "0"), ("n1", "1"), ("nm1", "-1"), ("n2", "2"), ("n3", "3"), ("nhalf", "0.5"), ("nneg0", "-0.0"),
        ("n31", "2^31"), ("n53", "2^53"), ("n62", "2^62"), ("nm63", "-2^63"), ("n63", "2^63"), ("n300", "1e300"),
        ("ninf", "1/0"), ("nminf", "-1/0"), ("nnan", "0/0"), ("ntiny", "1e-45"), ("n1000", "1000"),
        // tensors: empty, rank 0, small, images, parameters, non-finite entries
        ("tempty", "zeros(0)"), ("tempty2", "zeros(0, 3)"), ("tempty3", "zeros(3, 0)"), ("tscalar", "sum(zeros(2))"),
        ("t3", "[1, -2, 3]"), ("m22", "[[1, 2], [3, 4]]"), ("m23", "ones(2, 3)"), ("img", "zeros(1, 1, 4, 4)"),
        ("seq3", "zeros(1, 3, 4)"), ("labels", "[0, 1, 0, 1]"), ("tnan", "[0/0, 1, 1/0]"), ("p", "param([0.5, -1])"),
        ("pm", "param(ones(2, 2))"), ("tbig", "[1e38, -1e38, 3e38]"), ("tint", "[0, 2^24, 2^31]"),
        // shapes, huge and tiny
        ("shbig", "[2^31, 2^31]"), ("shneg", "[-1, 2]"), ("shzero", "[0]"), ("shnone", "[]"), ("sh62", "[2^62]"),
        ("shdeep", "[" + Array(repeating: "1", count: 65).joined(separator: ", ") + "]"),
        // strings (never a dataset split: nothing may download); named pipes and devices, made in the
        // pass's folder, must be refused or read within bounds, never waited on
        ("s0", "\"\""), ("s1", "\"s\""), ("spath", "\"missing/x.npy\""), ("ssafe", "\"w.safetensors\""),
        ("spipe", "\"pipe.npy\""), ("spipe2", "\"pipe.safetensors\""), ("spipe3", "\"pipe.csv\""), ("spipe4", "\"pipe.mapl\""),
        ("szero", "\"zero.npy\""), ("szero2", "\"zero.csv\""), ("sfull", "\"full.safetensors\""), ("sdevzero", "\"/dev/zero\""),
        ("snpy", "\"t.npy\""), ("srelu", "\"relu\""), ("sline", "\"a\\nb\""),
        // none, booleans, lists
        ("nn", "none"), ("bt", "true"), ("bf", "false"), ("lempty", "[]"), ("lmixed", "[1, \"a\"]"),
        ("lragged", "[[1], [2, 3]]"), ("ltensors", "[zeros(2), zeros(3)]"), ("lnested", "[[[\"a\"]]]"),
        // mappings and objects
        ("fid", "x -> x"), ("f2", "(a, b) -> a"), ("model", "dense(4, 2)"), ("cnn", "conv2d(1, 2, 3)"),
        ("net", "flatten >> dense(16, 2)"), ("opt", "sgd(dense(4, 2))"), ("data", "dataset(zeros(4, 4), [0, 1, 0, 1])"),
        ("bat", "batches(dataset(zeros(4, 4), [0, 1, 0, 1]), 2)"), ("rel", "relu"),
        // more samples than 1024, so a batch size near Int.max (2^63 − 1024) meets sums that could overflow
        ("big", "dataset(zeros(1100, 2), zeros(1100))"),
    ]

    /// The argument pool for a parameter: every prelude value, plus a few literal forms.
    static let pool: [String] = prelude.map(\.name) + ["2^33", "-2^31", "2^63-1024", "zeros(2, 2)", "[[0, 1]]"]

    /// Programs that take long (a gigabyte copied before the memory limit is met, nesting checked to its
    /// limit): run once, half-way through a pass, rather than drawn at random. (Lists doubled to the limit
    /// take far longer; CLITests runs that case under `ulimit -v`.)
    static let heavy = [
        "fz = \"ab\"\nfor i in 0..70 { fz = fz + fz }",
        "fz = [1, \"a\"]\nfor i in 0..20 { fz = fz + fz }",
        "fz = [\"a\"]\nfor i in 1..1100 { fz = [fz] }",
        "fz = [1]\nfor i in 1..100000 { fz = [fz] }",
        "fz = 0",
    ]

    /// Builtins whose calls could touch the network, stdin or the real data folder are still called, but only
    /// with the pool above (no "train"/"test" string) — nothing is left out.
    private struct Tally {
        var calls = 0, values = 0, errors = 0, interrupted = 0, programs = 0
        var builtins = Set<String>()
        var time: [String: TimeInterval] = [:]
    }

    func testEveryBuiltinAndGeneratedProgramsUnderAMemoryLimit() throws {
        let env = ProcessInfo.processInfo.environment
        let target = env["MAPL_FUZZ_CALLS"].flatMap(Int.init) ?? 100_000
        let seed = env["MAPL_FUZZ_SEED"].flatMap(UInt64.init) ?? 13
        let folder = NSTemporaryDirectory() + "fuzz-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let previousFolder = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(folder)   // saves land here
        for pipe in ["pipe.npy", "pipe.safetensors", "pipe.csv", "pipe.mapl"] { XCTAssertEqual(mkfifo(pipe, 0o600), 0) }
        for (name, device) in [("zero.npy", "/dev/zero"), ("zero.csv", "/dev/zero"), ("full.safetensors", "/dev/full")] {
            XCTAssertEqual(symlink(device, name), 0)
        }
        defer {
            _ = FileManager.default.changeCurrentDirectoryPath(previousFolder)
            try? FileManager.default.removeItem(atPath: folder)
        }

        let registry = BuiltinRegistry.standard()
        let interpreter = Interpreter(registry: registry)
        interpreter.output = { _ in }
        interpreter.recursionLimit = 50
        for (name, source) in Self.prelude { _ = try interpreter.run(try Parser.parse("\(name) = \(source)")) }
        let probe = try Parser.parse("fuzz_probe = 41 + 1\nfuzz_probe")

        var tally = Tally()
        var g = FuzzGenerator(state: seed)
        let start = Date()
        let watchdog = Watchdog(interpreter.interrupt, budget: 2)
        defer { watchdog.stop() }
        try MemoryLimit.withExtraAddressSpace(2 << 30) {
            try Interpreter.runOnLargeStack {
                let builtins = registry.all
                while tally.calls < target {
                    // Builtins in turn, so every one is met early; arguments drawn at random.
                    let b = builtins[tally.calls % builtins.count]
                    let began = Date()
                    try exercise(call(b, &g), interpreter, probe, watchdog, &tally)
                    tally.time[b.name, default: 0] += Date().timeIntervalSince(began)
                    tally.calls += 1
                    tally.builtins.insert(b.name)
                    if tally.calls % 20 == 0 {
                        try exercise(Self.program(&g), interpreter, probe, watchdog, &tally)
                        tally.programs += 1
                    }
                    if tally.calls == target / 2 {
                        for source in Self.heavy { try exercise(source, interpreter, probe, watchdog, &tally) }
                        tally.programs += Self.heavy.count
                    }
                }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        if Self.reportSlow {
            for (name, t) in tally.time.sorted(by: { $0.value > $1.value }).prefix(15) { print("fuzz: \(name) \(String(format: "%.2f", t)) s in all") }
        }
        print("fuzz: \(tally.calls) builtin calls over \(tally.builtins.count) distinct builtins (of \(registry.all.count)), \(tally.programs) generated programs, \(String(format: "%.1f", seconds)) s; \(tally.values) values, \(tally.errors) positioned errors, \(tally.interrupted) interrupted")
        XCTAssertEqual(tally.builtins.count, registry.all.count)
        XCTAssertGreaterThan(tally.values, tally.calls / 20, "some calls should succeed")
        XCTAssertGreaterThan(tally.errors, tally.calls / 4, "most boundary calls should be errors")
    }

    /// Runs one program in the shared session and checks its outcome and that the session goes on.
    private func exercise(_ source: String, _ interpreter: Interpreter, _ probe: Program, _ watchdog: Watchdog, _ tally: inout Tally) throws {
        // MAPL_FUZZ_TRACE=FILE keeps the program being run in FILE: after a crash, it holds the culprit.
        if Self.traceFile >= 0 {
            // Two system calls on a file opened once: opening it per program slowed a pass many times over.
            ftruncate(Self.traceFile, 0)
            _ = source.utf8CString.withUnsafeBufferPointer { pwrite(Self.traceFile, $0.baseAddress, $0.count - 1, 0) }
        }
        watchdog.begin()
        let began = Date()
        defer {
            watchdog.end()
            let took = Date().timeIntervalSince(began)
            if Self.reportSlow, took > 0.05 { print("fuzz: \(String(format: "%.2f", took)) s for \(source.prefix(120).debugDescription)") }
        }
        do {
            let program = try Parser.parse(source)
            _ = try interpreter.run(program)
            tally.values += 1
        } catch let e as MaplError {
            if e.kind == .interrupted { tally.interrupted += 1 } else { tally.errors += 1 }
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
            if !(1...max(lines, 1)).contains(e.range.start.line) || e.range.start.column < 1 || e.message.isEmpty {
                XCTFail("badly placed error \(e) for \(source.prefix(200).debugDescription)")
            }
        } catch {
            XCTFail("threw \(type(of: error)) \(error), not a MaplError, for \(source.prefix(200).debugDescription)")
        }
        watchdog.end()
        let after = try? interpreter.run(probe)
        if case .number(42)? = after {} else {
            XCTFail("the session did not go on after \(source.prefix(200).debugDescription): \(String(describing: after))")
            throw CancellationError()
        }
    }

    /// A call of `b`: 0…n+1 positional arguments from the pool, sometimes keywords by the parameters' names.
    private func call(_ b: Builtin, _ g: inout FuzzGenerator) -> String {
        let params = b.parameters
        let count = g.chance(80) ? g.below(params.count + 1) + (params.contains(where: \.variadic) ? g.below(3) : 0) : g.below(params.count + 2)
        var args = (0..<count).map { _ in g.pick(Self.pool) }
        if !params.isEmpty && g.chance(30) {
            let p = g.pick(params)
            if !p.variadic { args.append("\(p.name)=\(g.pick(Self.pool))") }
        }
        return "\(b.name)(\(args.joined(separator: ", ")))"
    }

    /// A program from a small grammar of the constructs that broke before: extreme slices and slice
    /// assignments, ranges near 2⁵³, deep nesting and long chains around the parser's limits.
    static func program(_ g: inout FuzzGenerator) -> String {
        let ints = ["0", "1", "-1", "2", "-2^63", "2^63-1024", "2^62", "-2^62", "2^53", "2^31", "-(2^31)", "1000"]
        let bound = { (g: inout FuzzGenerator) in g.chance(25) ? "" : g.pick(ints) }
        let sliceable = ["t3", "m22", "arange(5)", "lmixed", "[1, \"a\", 3]", "data", "img", "tempty", "tempty2"]
        switch g.below(8) {
        case 0, 1:
            let step = g.chance(20) ? "" : ":" + g.pick(ints)
            let extra = g.chance(30) ? ", " + g.pick(["0", ":", "-1", "2^62", "::-2^63"]) : ""
            return "\(g.pick(sliceable))[\(bound(&g)):\(bound(&g))\(step)\(extra)]"
        case 2:
            return "fz = \(g.pick(["zeros(2, 3)", "[1, 2, 3]", "[1, \"a\"]", "arange(6)"]))\nfz[\(bound(&g)):\(bound(&g)):\(g.pick(ints))] = \(g.pick(["1", "[1, 2]", "zeros(0)", "\"s\""]))"
        case 3:
            let ends = ["0", "-1", "2^53", "2^53-2", "-2^53", "2^54", "0/0", "1/0", "1e300", "0.5", "3"]
            let a = g.pick(ends)
            return g.chance(50) ? "fz = 0\nfor i in \(a)..\(a)+\(g.pick(["-1", "0", "2"])) { fz = fz + 1 }" : "len(\(a)..\(g.pick(ends)))"
        case 4:
            let depth = 190 + g.below(20)
            let open = g.pick(["(", "[", "-(", "f2(1, "])
            let close = open == "[" ? "]" : ")"
            return "fz = " + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
        case 5:
            return "fz = 1" + String(repeating: g.pick(["+1", "*1", "-t3", ">>rel"]), count: 390 + g.below(20))
        case 6:
            return "fz = \(g.pick(["[1]", "[\"a\"]", "zeros(0)", "[[1, 2]]"]))\nfor i in 1..\(g.pick(["3", "30", "70"])) { fz = [fz] }"
        default:
            return "\(g.pick(["t3", "m22", "img", "p", "data", "model", "opt", "bat"])).\(g.pick(["shape", "T", "grad", "ndim", "size", "q", "x", "y", "W", "mean"]))"
        }
    }
}

/// Interrupts a call that runs longer than `budget` seconds, as Ctrl-C does (the session's `StopFlag`).
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var started: Date? = nil
    private var running = true
    private let flag: StopFlag
    private let budget: TimeInterval

    init(_ flag: StopFlag, budget: TimeInterval) {
        self.flag = flag
        self.budget = budget
        let thread = Thread { [weak self] in
            while let self, self.tick() { Thread.sleep(forTimeInterval: 0.05) }
        }
        thread.start()
    }

    func begin() { lock.lock(); started = Date(); lock.unlock() }
    func end() { lock.lock(); started = nil; lock.unlock() }
    func stop() { lock.lock(); running = false; lock.unlock() }

    /// One look: requests an interrupt when the current call is over budget; false once stopped.
    private func tick() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if let started, Date().timeIntervalSince(started) > budget { flag.request() }
        return running
    }
}

/// Runs a body with the process's address space limited to what it maps now plus `extra` bytes (the soft
/// `RLIMIT_AS`), then restores the limit — so an allocation the engine does not refuse ends the test run
/// the way it would end a user's session under `ulimit -v`.
enum MemoryLimit {
    static func withExtraAddressSpace<T>(_ extra: Int, _ body: () throws -> T) throws -> T {
        var saved = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &saved) == 0 else { return try body() }
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").first.flatMap { Int($0) } ?? 0
        var limited = saved
        limited.rlim_cur = rlim_t(min(UInt64(pages * Int(sysconf(Int32(_SC_PAGESIZE))) + extra), UInt64(saved.rlim_max)))
        guard setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limited) == 0 else { return try body() }
        defer { _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &saved) }
        return try body()
    }
}
