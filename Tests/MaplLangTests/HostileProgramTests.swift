import XCTest
import Foundation
@testable import MaplLang
import MaplNN
import MaplEngine

/// The programs of issue 13 that ended or hung the process: each gives a positioned error (or the NumPy
/// result), and the next statement of the same session still runs. Allocation failures under a memory
/// limit are run in a child process (CLITests).
final class HostileProgramTests: XCTestCase {
    /// Runs `source`, expecting an error whose message contains every fragment, at a position inside the
    /// program; then checks the session goes on.
    private func expectError(_ s: Session, _ source: String, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let e = s.error(source, file: file, line: line) else { return }
        for f in fragments where !e.message.contains(f) {
            XCTFail("'\(e.message)' lacks '\(f)' (for \(source.prefix(80)))", file: file, line: line)
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue((1...lines.count).contains(e.range.start.line), "line \(e.range.start.line)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(e.range.start.column, 1, file: file, line: line)
        expectSessionGoesOn(s, file: file, line: line)
    }

    private func expectSessionGoesOn(_ s: Session, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try s.echo("after = 41 + 1\nafter"), "42", file: file, line: line)
    }

    // MARK: 1. Slice steps

    /// Python: `list(range(5))[::-2**63] == [4]`, `list(range(2000))[::2**63-1024] == [0]`,
    /// `[1, 'a', 3][::-2**63] == [3]`; NumPy `x = zeros((2, 3)); x[::-(2**63), 0] = 1` sets x[1, 0].
    func testExtremeSliceSteps() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("arange(5)[::-2^63]"), "tensor([4.])")
        XCTAssertEqual(try s.echo("arange(2000)[::2^63-1024]"), "tensor([0.])")
        XCTAssertEqual(try s.echo("[1, \"a\", 3][::-2^63]"), "[3]")
        XCTAssertEqual(try s.echo("[1, \"a\", 3][::2^63-1024]"), "[1]")
        try s.run("x = zeros(2, 3)\nx[::-(2^63), 0] = 1")
        XCTAssertEqual(s.tensor("x")?.scalars, [0, 0, 0, 1, 0, 0])
        XCTAssertEqual(try s.echo("len(dataset(zeros(3, 2), [0, 1, 2])[::-2^63])"), "1")
        XCTAssertEqual(try s.echo("dataset(zeros(3, 2), [0, 1, 2])[::-2^63][0].y"), "2")
        expectError(s, "arange(5)[::2^63]", ["whole number"])   // 2^63 itself is no Int
        expectSessionGoesOn(s)
    }

    // MARK: 2. Constant pictures

    func testConstantAndExtremePicturesDraw() throws {
        let s = Session()
        for source in ["heatmap(full([3, 3], 2^24))", "show(full([28, 28], 1e9))", "show(full([28, 28], -1e30))",
                       "hist(full([3], 1e30))", "plot([1e300, 1e300])", "plot([-1e308, 1e308, 0])", "hist([-3e38, 3e38])"] {
            s.printed = []
            XCTAssertNoThrow(try s.run(source), source)
            XCTAssertFalse(s.printed.isEmpty, source)
        }
        expectSessionGoesOn(s)
    }

    // MARK: 3. Layer sizes

    func testLayerSizesAreCheckedBeforeUse() throws {
        let s = Session()
        expectError(s, "conv2d(1, 1, 2^32)", ["conv2d", "W", "too large"])
        expectError(s, "conv2d(1, 1, 3, pad=2^40)(zeros(1, 1, 4, 4))", ["pad", "too large"])
        expectError(s, "conv2d(1, 1, 3, pad=2^30)(zeros(1, 1, 4, 4))", ["too large"])
        expectError(s, "attention(2^62, heads=2^61)", ["attention", "too large"])
        expectError(s, "layernorm(2^62)", ["layernorm", "too large"])
        expectError(s, "batchnorm(2^62)", ["batchnorm", "too large"])
        expectError(s, "layernorm(2^34)", ["layernorm", "too large"])
        expectError(s, "lstm(3, 2^62)", ["lstm", "too large"])
        expectError(s, "embedding(2^40, 2^40)", ["too large"])
        expectError(s, "spirals(2^40, 3)", ["spirals", "too many points"])
        expectError(s, "moons(2^40, 0.1)", ["moons", "too many points"])
        expectError(s, "maxpool2d(2^62)(zeros(1, 1, 4, 4))", ["window"])
        XCTAssertThrowsError(try Metrics.confusion(Tensor([0]), Tensor([0]), classes: 1 << 40))
        XCTAssertThrowsError(try Metrics.confusion(Tensor([0]), Tensor([0]), classes: -1))
    }

    /// Found after the fuzzer's first runs: ⌈n / size⌉ as (n + size − 1) / size overflowed for size 2^63 − 1024
    /// once a dataset had more than 1,023 samples.
    func testBatchSizesNearIntMax() throws {
        let s = Session()
        try s.run("d = dataset(zeros(2000, 2), zeros(2000))")
        XCTAssertEqual(try s.echo("len(batches(d, 2^63-1024))"), "1")
        XCTAssertEqual(try s.echo("n = 0\nfor b in batches(d, 2^63-1024) { n = n + len(b.x) }\nn"), "2000")
        XCTAssertNoThrow(try s.run("h = fit(dense(2, 1), d, loss=mse, batch=2^63-1024)"))
        XCTAssertEqual(try s.echo("len(h.batch_loss)"), "1")
        expectSessionGoesOn(s)
    }

    // MARK: 4. Allocations the machine cannot give

    func testAllocationsBeyondTheMachineAreRefused() throws {
        let s = Session()
        expectError(s, "zeros(2^33)", ["needs", "GiB", "[8589934592] tensor", "this machine has"])
        expectError(s, "attention(4)(zeros(1, 100000, 4))", ["[1, 1, 100000, 100000]", "too large"])
        expectError(s, "x = ones(1, 100000)\ny = x.T @ x", ["[100000, 100000]", "too large"])
        expectError(s, "a = ones(200000, 1)\nb = ones(1, 200000)\nc = a * b", ["broadcast to [200000, 200000]"])
        XCTAssertNil(s.interpreter.lookup("c"))
    }

    /// The allocation cases of the issue that need a memory limit to fail (a 4 GB tensor fits this machine),
    /// in this process under `setrlimit(RLIMIT_AS)` with 2 GiB to spare: each is a positioned error, and the
    /// same session goes on. (CLI twins under `ulimit -v` in ResourceLimitTests.)
    func testAllocationsUnderAnAddressSpaceLimitKeepTheSession() throws {
        let s = Session()
        try MemoryLimit.withExtraAddressSpace(2 << 30) {
            try Interpreter.runOnLargeStack {
                expectError(s, "x = zeros(2^30)", ["needs 4.0 GiB for a [1073741824] tensor", "ulimit -v"])
                expectError(s, "x = randn(40000, 40000)", ["needs 6.0 GiB"])
                expectError(s, "x = ones(30000)\ny = reshape(x, 30000, 1) * reshape(x, 1, 30000)", ["broadcast to [30000, 30000], which needs 3.4 GiB"])
                expectError(s, "x = ones(100000000)\nfor i in 0..10 { x = concat([x, x]) }", ["needs", "GiB"])
                XCTAssertEqual(s.tensor("x")?.shape.count, 1)   // x keeps the last size that fitted
                expectError(s, "x = 0\nt = \"ab\"\nfor i in 0..40 { t = t + t }", ["for a string"])
                expectError(s, "t = 0\nL = [\"a\"]\nfor i in 0..40 { L = L + L }", ["for a list of"])
                try s.run("L = 0")
            }
        }
        expectSessionGoesOn(s)
    }

    // MARK: 5. Data files

    func testForgedGzipTrailerAndBombsAreBounded() throws {
        let folder = NSTemporaryDirectory() + "hostile-gz-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An IDX file of 2 bytes whose stream goes on with 64 MB of zeros: decompression stops at the header's size.
        let header: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2]
        let bomb = try Gzip.compress(header + [UInt8](repeating: 0, count: 64 << 20))
        XCTAssertLessThan(bomb.count, 200_000)
        XCTAssertThrowsError(try IDX.parse(bomb, name: "bomb.gz")) { error in
            XCTAssertTrue("\(error)".contains("shape [2] needs 2 data bytes, but it decompresses to more"), "\(error)")
        }
        // A size trailer claiming 4 GB is never used to reserve memory: zlib's length check reports the file.
        var forged = try Gzip.compress(header + [7, 9])
        forged.replaceSubrange((forged.count - 4)..., with: [0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try IDX.parse(forged, name: "forged.gz")) { XCTAssertTrue("\($0)".contains("'forged.gz' is corrupt"), "\($0)") }
        XCTAssertEqual(try IDX.parse(try Gzip.compress(header + [7, 9]), name: "good.gz").bytes, [7, 9])
        // A gzipped file that is no IDX file stops after its first bytes, with the IDX message.
        let text = try Gzip.compress([UInt8](repeating: 0x41, count: 1 << 20))
        XCTAssertThrowsError(try IDX.parse(text, name: "text.gz")) { XCTAssertTrue("\($0)".contains("is not an IDX file"), "\($0)") }
    }

    // MARK: 6. Ranges

    func testRangesBeyondTwoToThe53AreErrorsAndLoopsEnd() throws {
        let s = Session()
        expectError(s, "for i in 2^53..2^53+2 {}", ["end of a range", "±2^53"])
        expectError(s, "x = 2^54..2^54+8", ["start of a range", "±2^53"])
        expectError(s, "for i in 0..(0/0) {}", ["end of a range", "got nan"])
        expectError(s, "for i in (-1/0)..0 {}", ["start of a range", "got -inf"])
        XCTAssertEqual(try s.echo("n = 0\nfor i in 2^53-2..2^53 { n = n + 1 }\nn"), "3")
        XCTAssertEqual(try s.echo("2^53-1..2^53"), "[9007199254740991, 9007199254740992]")
        XCTAssertEqual(try s.echo("0.5..2"), "[0.5, 1.5]")
        XCTAssertEqual(try s.echo("3..1"), "[]")
        expectError(s, "x = 0..2^40", ["too many to make a list"])
    }

    // MARK: 8. Slow paths

    func testSlowPathsAreBounded() throws {
        let s = Session()
        // The suggestion search (length × length per candidate: 23 s for this name) is not even started.
        let name = String(repeating: "q", count: 1 << 20)
        XCTAssertNil(Suggestions.closest(to: name, among: ["q", "qq", String(repeating: "q", count: (1 << 20) - 1)]))
        XCTAssertEqual(Suggestions.closest(to: "qqqqq1", among: ["qqqqq2", "zzzzzz"]), "qqqqq2")
        let e = s.error("y = " + name + " + 1")
        XCTAssertLessThan(e?.message.count ?? .max, 200)
        XCTAssertTrue(e?.message.contains("more characters") ?? false, e?.message ?? "")
        let report = e?.render(source: "y = " + name + " + 1") ?? ""
        XCTAssertLessThan(report.count, 600)
        XCTAssertTrue(report.contains("^"))
        // The ordinary suggestion still works.
        try s.run("loss = 1")
        XCTAssertEqual(s.error("lsos")?.message, "unknown name 'lsos' — did you mean 'loss'?")

        // L = [L] on numbers builds a tensor of one more axis each time: refused past 64 axes, at once.
        expectError(s, "L = [1]\nfor i in 1..100000 { L = [L] }", ["at most 64 dimensions"])
        XCTAssertEqual(s.tensor("L")?.rank, 64)
        // On other values it builds nested lists: refused past 1,000 levels, and printed elided.
        expectError(s, "M = [\"a\"]\nfor i in 1..100000 { M = [M] }", ["nest at most 1000 deep"])
        s.printed = []
        try s.run("print(M)")
        XCTAssertLessThan(s.printed.joined().count, 100)
        XCTAssertTrue(s.printed.joined().contains("[…]"), s.printed.joined())
        expectSessionGoesOn(s)
    }

    func testAFileThatRunsItselfStops() throws {
        let path = NSTemporaryDirectory() + "self-run-\(UUID().uuidString).mapl"
        try "x = 1\nrun(\"\(path)\")\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = Session()
        expectError(s, "run(\"\(path)\")", ["nested 16 deep"])
        XCTAssertLessThan(s.error("run(\"\(path)\")")?.message.count ?? .max, 16 * 400)
    }

    // MARK: 12. Messages

    func testEmptyInputsGiveEmptyResultsOrClearErrors() throws {
        let s = Session()
        XCTAssertEqual(s.interpreter.lookup("x") == nil, true)
        XCTAssertEqual(try s.echo("softmax(zeros(0, 10)).shape"), "[0, 10]")
        XCTAssertEqual(try s.echo("max(zeros(0, 3), axis=1).shape"), "[0]")
        XCTAssertEqual(try s.echo("argmax(zeros(0, 3), axis=1).shape"), "[0]")
        XCTAssertEqual(try s.echo("attention(4)(zeros(1, 0, 4)).shape"), "[1, 0, 4]")
        XCTAssertEqual(try s.echo("f1(zeros(0, 3), zeros(0))"), "0")
        expectError(s, "max(zeros(0, 3), axis=0)", ["axis 0", "empty"])
        expectError(s, "cross_entropy(zeros(0, 10), zeros(0))", ["cross_entropy needs at least one sample"])
        expectError(s, "nll(zeros(0, 10), zeros(0))", ["nll needs at least one sample"])
        expectError(s, "mse(zeros(0), zeros(0))", ["mse needs at least one sample"])
        expectError(s, "d = dataset(zeros(4, 2), [0, 1, 0, 1])\nnormalize(d, 0, 1e-45)", ["std", "too small"])
        XCTAssertNoThrow(try s.run("normalize(d, 0, 1e-30)"))
        expectError(s, "y = 1" + String(repeating: "+1", count: 400), ["expression too long", "more than 400 operations"])
    }

    func testSavingOntoAFolderSaysSo() throws {
        let folder = NSTemporaryDirectory() + "save-folder-\(UUID().uuidString).safetensors"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let s = Session()
        expectError(s, "save(dense(2, 2), \"\(folder)\")", ["cannot write '\(folder)': it is a folder"])
        XCTAssertFalse(s.error("save(dense(2, 2), \"\(folder)\")")?.message.contains("NSCocoaErrorDomain") ?? true)
    }

    // MARK: The audit of numbers that become sizes and indices (docs/language.md)

    /// A stride near Int.max with padding overflowed `(p − k + s − 1) / s` in im2col; strides are bounded as
    /// windows and padding are. Every boundary value gives an error and the session goes on.
    func testConvolutionStridesAtTheBoundaries() throws {
        let s = Session()
        let conv = { (stride: String) in "conv2d(1, 1, 3, stride=\(stride), pad=2000)(zeros(1, 1, 4, 4))" }
        expectError(s, conv("2^63-1024"), ["stride", "too large"])
        expectError(s, conv("2^53"), ["stride", "too large"])
        expectError(s, conv("1e300"), ["stride", "whole number"])
        expectError(s, conv("2^63"), ["stride", "whole number"])
        expectError(s, conv("-2^63"), ["stride"])
        expectError(s, conv("0/0"), ["stride", "whole number", "nan"])
        expectError(s, conv("1/0"), ["stride", "whole number", "inf"])
        expectError(s, conv("-1/0"), ["stride", "whole number", "-inf"])
        expectError(s, conv("-1"), ["stride"])
        expectError(s, conv("0"), ["stride"])
        expectError(s, "maxpool2d(2, stride=2^63-1024)(zeros(1, 1, 4, 4))", ["stride", "too large"])
        // The largest stride allowed still works: one window, at the top-left corner.
        XCTAssertEqual(try s.echo("conv2d(1, 1, 3, stride=2^33, pad=2000)(zeros(1, 1, 4, 4)).shape"), "[1, 1, 1, 1]")
        XCTAssertEqual(try s.echo("conv2d(2, 1, 3, stride=2)(ones(1, 2, 5, 5)).shape"), "[1, 1, 2, 2]")
    }

    /// A CSV header of 200,001 columns over 200,000 short lines reserved 160 GB for the values before reading
    /// a row; the reservation is bounded by the text, and the first bad line is the error.
    func testAWideCSVHeaderOverShortLinesReservesNothingHuge() throws {
        let path = NSTemporaryDirectory() + "wide-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = (0...200_000).map { "c\($0)" }.joined(separator: ",") + "\n" + String(repeating: "1\n", count: 200_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        expectError(s, "d = csv(\"\(path)\")", ["line 2: expected 200001 values"])
    }

    /// IDX dimensions below 2³² can multiply to 2⁶³ − 1 (153092023 · 92737 · 649657), where adding the 16-byte
    /// header to size the gzip output overflowed: the file is refused as corrupt instead.
    func testAnIDXHeaderDeclaringNearlyIntMaxBytesIsRefused() throws {
        let dims: [UInt32] = [153_092_023, 92_737, 649_657]
        let header: [UInt8] = [0, 0, 8, 3] + dims.flatMap { d in (0..<4).reversed().map { UInt8(truncatingIfNeeded: d >> (8 * $0)) } }
        let gz = try Gzip.compress(header + [UInt8](repeating: 0, count: 1 << 17))   // past the first 64 KiB, where the limit is asked
        XCTAssertThrowsError(try IDX.parse(gz, name: "huge.gz")) { XCTAssertTrue("\($0)".contains("'huge.gz' is corrupt: shape [153092023, 92737, 649657] declares more bytes than a file can hold"), "\($0)") }
        XCTAssertThrowsError(try IDX.parse(header + [1, 2, 3], name: "huge")) { XCTAssertTrue("\($0)".contains("too large") || "\($0)".contains("truncated"), "\($0)") }
    }

    // MARK: Issue 19: pipes, devices, literals, messages

    /// save()/load()/csv()/run() of a named pipe waited forever for its other end (one Ctrl-C did not help);
    /// a data file from an endless device was read until memory ran out. Each is now a positioned error at
    /// once, saying what the path is, and the session goes on.
    func testNamedPipesAndDevicesAreRefusedNotWaitedOn() throws {
        let folder = NSTemporaryDirectory() + "pipes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The language picks the format by extension: pipes and (through symlinks) devices named as data files.
        for name in ["pipe.safetensors", "pipe.npy", "pipe.csv", "pipe.mapl"] { XCTAssertEqual(mkfifo(folder + "/" + name, 0o600), 0) }
        for (name, device) in [("zero.npy", "/dev/zero"), ("zero.safetensors", "/dev/zero"), ("random.csv", "/dev/urandom"),
                               ("full.safetensors", "/dev/full"), ("null.npy", "/dev/null")] {
            XCTAssertEqual(symlink(device, folder + "/" + name), 0)
        }
        let s = Session()
        try s.run("m = dense(2, 2)\nt = ones(3)")
        func at(_ name: String) -> String { "\"\(folder)/\(name)\"" }
        for (program, path) in [("save(m, \(at("pipe.safetensors")))", "pipe.safetensors"), ("save(t, \(at("pipe.npy")))", "pipe.npy"),
                                ("load(m, \(at("pipe.safetensors")))", "pipe.safetensors"), ("load(\(at("pipe.npy")))", "pipe.npy"),
                                ("csv(\(at("pipe.csv")))", "pipe.csv"), ("run(\(at("pipe.mapl")))", "pipe.mapl")] {
            expectError(s, program, ["'\(folder)/\(path)'", "it is a named pipe, not a file"])
        }
        for (program, path) in [("load(\(at("zero.npy")))", "zero.npy"), ("load(m, \(at("zero.safetensors")))", "zero.safetensors"),
                                ("csv(\(at("random.csv")))", "random.csv")] {
            expectError(s, program, ["'\(folder)/\(path)'", "it is a device, not a file"])
        }
        expectError(s, "run(\"/dev/zero\")", ["'/dev/zero'", "it is larger than 64 MiB"])
        expectError(s, "save(m, \(at("full.safetensors")))", ["cannot write", "full.safetensors", "space"])
        XCTAssertNoThrow(try s.run("save(t, \(at("null.npy")))"))
        expectSessionGoesOn(s)
    }

    /// NaN made by 0/0 has its sign bit set, and Swift prints it "-nan": every message says "nan".
    func testNaNIsPrintedAsNanInMessages() throws {
        let s = Session()
        for program in ["arange(0, 0/0)", "arange(0/0)", "arange(0, 1, 0/0)", "linspace(0/0, 1, 3)"] {
            guard let e = s.error(program) else { continue }
            XCTAssertTrue(e.message.contains("nan"), "\(program): \(e.message)")
            XCTAssertFalse(e.message.contains("-nan"), "\(program): \(e.message)")
        }
        XCTAssertEqual(try s.echo("0/0"), "nan")
        XCTAssertEqual(try s.echo("[0/0, -(0/0)]"), "tensor([nan, nan])")
    }

    /// A long list literal of numbers is one tensor, equal to the one made number by number (200 000 numbers
    /// here; the CLI tests run 5·10⁶ under `ulimit -v`): its sum is computed by hand.
    func testALongNumberListIsTheSameTensorAsAShortOne() throws {
        let s = Session()
        let n = 200_000
        let source = "x = [" + (0..<n).map { $0 % 2 == 0 ? "1.5" : "-0.5" }.joined(separator: ", ") + "]"
        try s.run(source)
        XCTAssertEqual(s.tensor("x")?.shape, [n])
        try s.run("total = sum(x)\nhead = [1, 2] + x[0:2]")
        XCTAssertEqual(s.tensor("total")?.scalars, [Float(n / 2)])   // n/2 · (1.5 − 0.5)
        XCTAssertEqual(s.tensor("head")?.scalars, [2.5, 1.5])
        XCTAssertEqual(s.tensor("x")?.scalars.prefix(3), [1.5, -0.5, 1.5])
        expectError(s, source.replacingOccurrences(of: "x = ", with: "x = [1, 2] + "), ["shape"])
    }

    /// Ctrl-C while a huge program is scanned stops the scan (it used to be honoured only after parsing).
    func testCancelIsHonouredWhileParsing() throws {
        let flag = StopFlag()
        flag.installOnCurrentThread()
        defer { StopFlag.uninstallFromCurrentThread() }
        flag.request()
        XCTAssertThrowsError(try Parser.parse(String(repeating: "x = 1\n", count: 100_000))) {
            XCTAssertEqual(($0 as? MaplError)?.kind, .interrupted, "\($0)")
        }
        XCTAssertFalse(flag.isRequested, "the request is taken, so the next cell runs")
        XCTAssertNoThrow(try Parser.parse("x = 1"))
    }
}
