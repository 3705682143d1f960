import XCTest
import Foundation

/// Journals through the executable: `mapl run --json` writes one, `mapl journal` prints it and
/// `mapl replay --rerun-check` re-executes it.
extension CLITests {
    /// A written journal as a file next to the test's others.
    func journalFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A seeded 3-epoch fit, run with --json and rerun: every loss reads back as the double it was, so the check
    /// passes; a copy with one printed number changed fails, naming the cell and both values.
    func testRerunCheckOfATrainedSessionPassesAndADoctoredCopyFails() throws {
        let program = try file("""
            seed(7)
            m = dense(2, 8) >> tanh >> dense(8, 2)
            d = spirals(24, 2)
            h = fit(m, d, epochs=3, batch=8)
            print(h.loss)
            """)
        let run = try mapl(["run", "--json", program])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.out.contains("\"event\":\"batch\""))
        let journal = try journalFile(run.out)
        let passed = try mapl(["replay", journal, "--rerun-check"])
        XCTAssertEqual(passed.status, 0, passed.out + passed.err)
        XCTAssertTrue(passed.out.contains("1 cells, every output the same"), passed.out)

        guard let printed = run.out.range(of: #"\{"event":"text","text":"tensor\(\[\d\.\d+"#, options: .regularExpression) else {
            return XCTFail("no printed loss in \(run.out)")
        }
        let original = String(run.out[printed]), changed = String(original.dropLast()) + (original.hasSuffix("9") ? "8" : "9")
        let doctored = try journalFile(run.out.replacingCharacters(in: printed, with: changed))
        let failed = try mapl(["replay", doctored, "--rerun-check"])
        XCTAssertEqual(failed.status, 1, failed.out + failed.err)
        XCTAssertTrue(failed.out.contains("cell 1 (seed(7)) differs"), failed.out)
    }

    /// A journal of the presentation builtins prints what the run printed — every sample of `show(d, 0..15)`
    /// with its label, both histograms of `hist(a, b)` — and passes the rerun check, which compares the sheet
    /// too: a copy with one sample's label changed fails.
    func testAJournalOfSheetsPeersGridsAndQuizTracesPrintsWhatTheRunPrinted() throws {
        let source = """
            x = reshape(arange(16 * 16), 16, 1, 4, 4) / 256
            d = dataset(x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5])
            show(d, 0..15)
            a = [0, 1, 1, 2, 2, 2]
            hist(a, a + 2, bins=4, names=["before", "after"])
            show_limit(20)
            w = param([1.0, -2.0])
            trace(sum(w * w), quiz=true)
            print(reshape(arange(12), 4, 3) - 5.5)
            reshape(arange(12), 4, 3) - 5.5
            """
        let program = try file(source)
        let text = try mapl(["run", program]), json = try mapl(["run", "--json", program])
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertEqual(json.status, 0, json.err)
        // Each sample's label under it, 0…9 then 0…5, and both histograms under their names.
        let labels = (Array(0...9) + Array(0...5)).map(String.init).joined(separator: "    ")
        for words in [labels, "\nbefore\n", "\nafter\n"] { XCTAssertTrue(text.out.contains(words), "\(words) in\n\(text.out)") }
        XCTAssertTrue(json.out.contains(#""sheet":[{"rows":4,"columns":4,"#), json.out)
        XCTAssertTrue(json.out.contains(#""peers":[{"title":"after","counts":[0,0,1,5],"#), json.out)
        XCTAssertTrue(json.out.contains(#""grid":{"heading":"tensor [4, 3]","#), json.out)
        XCTAssertTrue(json.out.contains(#""showLimit":20}"#), json.out)
        let journal = try journalFile(json.out)
        let printed = try mapl(["journal", journal])
        XCTAssertEqual(printed.status, 0, printed.err)
        let code = source.split(separator: "\n").enumerated().map { ($0 == 0 ? "[1] " : "    ") + $1 }.joined(separator: "\n")
        XCTAssertEqual(printed.out, code + "\n" + text.out)

        let check = try mapl(["replay", journal, "--rerun-check"])
        XCTAssertEqual(check.status, 0, check.out + check.err)
        XCTAssertTrue(check.out.contains("1 cells, every output the same"), check.out)
        XCTAssertTrue(json.out.contains(#""label":"9""#))
        let doctored = try journalFile(json.out.replacingOccurrences(of: #""label":"9""#, with: #""label":"8""#))
        let failed = try mapl(["replay", doctored, "--rerun-check"])
        XCTAssertEqual(failed.status, 1, failed.out + failed.err)
        XCTAssertTrue(failed.out.contains("cell 1 (x = reshape"), failed.out)
    }

    /// Bytes as a journal file.
    func journalFile(bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A journal past the old 64 MiB limit (a hundred 256×256 heatmaps make 71.5 MB) is read as a stream:
    /// `mapl journal` reads every event of it.
    func testAJournalLargerThan64MiBReadsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).jsonl").path
        FileManager.default.createFile(atPath: path, contents: nil)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.write(Data("{\"mapl\":\"events\",\"version\":1,\"created\":\"x\",\"source\":\"big.mapl\"}\n".utf8))
        let line = Data(("{\"event\":\"text\",\"text\":\"" + String(repeating: "0123456789abcdef", count: 1 << 16) + "\"}\n").utf8)  // 1 MiB
        for _ in 0..<66 { handle.write(line) }
        handle.write(Data("{\"event\":\"text\",\"text\":\"the end\"}\n".utf8))
        try handle.close()
        let kinds = try mapl(["journal", "--kinds", path])
        XCTAssertEqual(kinds.status, 0, kinds.err)
        XCTAssertEqual(kinds.out, "text 67\n")
    }

    /// A journal with Windows line endings reads as it was written; a last line cut inside a UTF-8 character
    /// (what a crash mid-write leaves) is skipped and named, and everything before it reads; the rerun check
    /// still checks the cells.
    func testCRLFAndALastLineCutInsideACharacterReadTheRest() throws {
        let program = try file("x = 2\nprint(\"café \" + str(x))\n")
        let run = try mapl(["run", "--json", program])
        XCTAssertEqual(run.status, 0, run.err)
        let crlf = run.out.replacingOccurrences(of: "\n", with: "\r\n")
        let cut = Array(crlf.utf8) + Array("{\"event\":\"text\",\"text\":\"caf".utf8) + [0xC3]
        let lines = crlf.components(separatedBy: "\r\n").count   // the cut line's number
        let journal = try journalFile(bytes: cut)
        let printed = try mapl(["journal", journal])
        XCTAssertEqual(printed.status, 1)
        XCTAssertTrue(printed.out.contains("café 2"), printed.out)
        XCTAssertTrue(printed.err.contains("line \(lines): not valid JSON"), printed.err)
        XCTAssertEqual(printed.err.components(separatedBy: "\n").filter { !$0.isEmpty }.count, 1, printed.err)
        let check = try mapl(["replay", journal, "--rerun-check"])
        XCTAssertEqual(check.status, 0, check.out + check.err)
        XCTAssertTrue(check.out.contains("1 cells, every output the same (1 unreadable line skipped"), check.out)
    }

    /// A check with nothing to check fails: an empty file, random bytes, a program renamed `.jsonl`.
    func testRerunCheckWithNothingToCheckFails() throws {
        var g = SystemRandomNumberGenerator()
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
        for bytes in [[], random, Array("x = 1\nprint(x)\n".utf8)] {
            let check = try mapl(["replay", try journalFile(bytes: bytes), "--rerun-check"])
            XCTAssertEqual(check.status, 1, check.out + check.err)
            XCTAssertTrue(check.out.contains("holds no recorded cell to check"), check.out)
            XCTAssertFalse(check.out.contains("passed"), check.out)
        }
    }

    /// `mapl journal` prints each cell's code (as the notebook's transcript shows it) before its outputs.
    func testJournalPrintsEachCellsCodeBeforeItsOutputs() throws {
        let journal = try journalFile([
            #"{"mapl":"events","version":1,"created":"x","source":"two.mapl"}"#,
            #"{"event":"cellStarted","cell":1,"source":"x = 1\nprint(x)","origin":"<cell 1>","firstLine":1}"#,
            #"{"event":"text","text":"1"}"#,
            #"{"event":"cellEnded","cell":1,"outcome":"ok","seconds":0.01}"#,
            #"{"event":"cellStarted","cell":2,"source":"print(\"two\")","origin":"<cell 2>","firstLine":1}"#,
            #"{"event":"text","text":"two"}"#,
            #"{"event":"cellEnded","cell":2,"outcome":"ok","seconds":0.01}"#,
        ].joined(separator: "\n"))
        let printed = try mapl(["journal", journal])
        XCTAssertEqual(printed.status, 0, printed.err)
        XCTAssertEqual(printed.out, "[1] x = 1\n    print(x)\n1\n[2] print(\"two\")\ntwo\n")
    }

    /// Escape sequences inside a shared journal are shown, never obeyed: in outputs, code, tables, errors,
    /// warnings and the rerun check's report; a 300-digit duration is clamped.
    func testAHostileJournalCannotDriveTheTerminal() throws {
        let esc = "\\u001b", csi = "\\u009b"
        let journal = try journalFile([
            #"{"mapl":"events","version":1,"created":"x","source":"evil.mapl"}"#,
            #"{"event":"cellStarted","cell":1,"source":"print(1) # \#(esc)]0;pwned\#(esc)\\\nprint(2)","origin":"<cell 1>","firstLine":1}"#,
            #"{"event":"text","text":"\#(esc)[2J\#(esc)[31mred \#(csi)1;1H"}"#,
            #"{"event":"table","header":["a\#(esc)[5m"],"rows":[["\#(csi)2J"]],"alignments":["left"],"notes":["\#(esc)c"]}"#,
            #"{"event":"epoch","epoch":1,"epochs":1,"loss":[0.5],"valLoss":[],"valAccuracy":[],"accuracy":null,"seconds":1\#(String(repeating: "0", count: 300)),"stoppedEarly":false}"#,
            #"{"event":"error","kind":"error","message":"m","range":{"line":1,"column":1,"endLine":1,"endColumn":2},"rendered":"boom\#(esc)[2J"}"#,
            #"{"event":"\#(esc)[2Jnope"}"#,
            #"{"event":"cellEnded","cell":1,"outcome":"ok","seconds":0.01}"#,
        ].joined(separator: "\n"))
        let printed = try mapl(["journal", journal])
        let check = try mapl(["replay", journal, "--rerun-check"])
        XCTAssertEqual(check.status, 1, check.out)
        XCTAssertTrue(check.out.contains("cell 1 (print(1) # \\x1b]0;pwned\\x1b\\) differs"), check.out)
        for (name, text) in [("journal out", printed.out), ("journal err", printed.err), ("rerun out", check.out), ("rerun err", check.err)] {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B }, "\(name): \(text.debugDescription)")
        }
        XCTAssertTrue(printed.out.contains("\\x1b[2J\\x1b[31mred \\u009b1;1H"), printed.out)
        XCTAssertTrue(printed.out.contains("[1] print(1) # \\x1b]0;pwned\\x1b\\\n    print(2)\n"), printed.out)
        XCTAssertTrue(printed.out.contains("a\\x1b[5m") && printed.out.contains("\\u009b2J") && printed.out.contains("\\x1bc"), printed.out)
        XCTAssertTrue(printed.err.contains("boom\\x1b[2J"), printed.err)
        XCTAssertTrue(printed.err.contains("unknown event '\\x1b[2Jnope'"), printed.err)
        let epoch = try XCTUnwrap(printed.out.split(separator: "\n").first { $0.hasPrefix("epoch 1/1") })
        XCTAssertEqual(epoch, "epoch 1/1  loss 0.5000  >1e7 s")
    }

    /// A journal streams from a pipe; a device, which never ends, is refused with the reason.
    func testAPipeStreamsAndADeviceIsRefused() throws {
        let journal = try journalFile([#"{"mapl":"events","version":1,"created":"x","source":"p.mapl"}"#, #"{"event":"text","text":"piped"}"#]
            .joined(separator: "\n"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "cat \"$1\" | \"$2\" journal /dev/stdin", "sh", journal, binary.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(text, "piped\n")
        let zero = try mapl(["journal", "/dev/zero"])
        XCTAssertEqual(zero.status, 2)
        XCTAssertEqual(zero.err, "mapl: cannot read '/dev/zero': a device, not a journal file\n")
    }
}
