import XCTest
import Foundation
import MaplTestSupport

/// Runs the built `mapl` executable as a user would and checks what it prints and its exit status.
final class CLITests: XCTestCase {
    /// The `mapl` binary next to this test bundle (SwiftPM builds it because this target depends on it).
    var binary: URL {
        let bundle = Bundle(for: CLITests.self).bundleURL
        // On Linux the bundle URL is the products folder itself; elsewhere it is the .xctest inside it.
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("mapl")
    }

    func mapl(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try Subprocess.run([binary.path] + arguments)
        return (r.status, r.output, r.error)
    }

    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).mapl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testRunPrintsWhatTheFilePrintsAndExitsZero() throws {
        let path = try file("x = [[1, 2], [3, 4]]\nprint(x @ x)\nprint(item(sum(x)))\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 0, r.err)
        // [[1,2],[3,4]]² = [[7,10],[15,22]]; sum = 10
        XCTAssertTrue(r.out.contains("7") && r.out.contains("22"), r.out)
        XCTAssertTrue(r.out.hasSuffix("10\n"), r.out)
        XCTAssertEqual(r.err, "")
    }

    func testRuntimeErrorShowsFileLineColumnSourceAndCaret() throws {
        let path = try file("x = [[1, 2], [3, 4]]\nprint(\"before\")\ny = x @ [1, 2, 3]\nprint(\"never\")\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "before\n")
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "\(path):3:5: error: shape [2, 2] cannot be multiplied by [3]: inner dimensions 2 and 3 differ")
        XCTAssertEqual(lines[1], "  y = x @ [1, 2, 3]")
        XCTAssertEqual(lines[2], "      ^~~~~~~~~~~~~")
    }

    func testSyntaxErrorIsPositionedAndNothingRuns() throws {
        let path = try file("print(\"a\")\nz = (1 + 2\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.hasPrefix("\(path):"), r.err)
        XCTAssertTrue(r.err.contains("syntax error"), r.err)
    }

    func testFailedAssertStopsWithStatusOne() throws {
        let path = try file("assert(1 + 1 == 3, \"arithmetic\")\nprint(\"after\")\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("1:1") && r.err.contains("arithmetic"), r.err)
    }

    /// `mapl --help` points at help() inside the language and at the docs.
    func testHelpMentionsHelpAndTheDocs() throws {
        let r = try mapl(["--help"])
        XCTAssertEqual(r.status, 0)
        let text = r.out.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(text.contains("help() lists the builtins, keywords and syntax"), r.out)
        XCTAssertTrue(text.contains("docs/language.md"), r.out)
    }

    func testDashEEvaluatesCode() throws {
        let r = try mapl(["-e", "print(grad(x -> sum(x^2))([1, 2]))"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("2") && r.out.contains("4"), r.out)
    }

    func testMissingFileIsAClearError() throws {
        let r = try mapl(["run", "/nonexistent/file.mapl"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err, "mapl: cannot read '/nonexistent/file.mapl': no such file\n")
    }

    /// Each reason a file cannot be run is said precisely (it used to be "cannot read" for all of them).
    func testUnreadableFilesSayWhy() throws {
        let dir = NSTemporaryDirectory()
        let r = try mapl(["run", dir])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err, "mapl: cannot read '\(dir)': is a directory\n")
        let path = try file("")
        try Data(Array("print(1)\nprint(2)\n# na".utf8) + [0xEF] + Array("ve\n".utf8)).write(to: URL(fileURLWithPath: path))
        let bad = try mapl(["run", path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.out, "", "nothing runs")
        XCTAssertEqual(bad.err, "mapl: cannot read '\(path)': invalid UTF-8 at line 3, column 5 (byte 0xEF); save the file as UTF-8\n")
    }

    /// Windows line ends: the report still shows the line and the caret.
    func testCRLFFileReportsTheLine() throws {
        let path = try file("x = 1\r\ny = x @ [1, 2]\r\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, "\(path):2:5: error: @ needs tensors of rank 1 or more, got shapes [] and [2]\n  y = x @ [1, 2]\n      ^~~~~~~~~~\n")
    }

    /// `mapl run --ascii` draws every picture in plain ASCII, the flag before or after the file.
    func testAsciiOutputHasNoCharacterBeyondASCII() throws {
        let path = try file("""
            m = flatten >> dense(4, 3)
            d = dataset(rand(20, 2, 2), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1])
            summary(m)
            h = fit(m, d, epochs=2, batch=5)
            plot([h.loss, [1, 0/0]], labels=["loss", "other"])
            hist(randn(500))
            show(d, 3, model=m)
            heatmap(randn(30, 40))
            w = param([1.0, -2.0])
            L = sum(sigmoid(w * 3))
            backward(L)
            graph(L)
            trace(L)
            """)
        for arguments in [["run", "--ascii", path], ["run", path, "--ascii"]] {
            let r = try mapl(arguments)
            XCTAssertEqual(r.status, 0, r.err)
            let foreign = r.out.split(separator: "\n").filter { !$0.allSatisfy(\.isASCII) }
            XCTAssertEqual(foreign, [], "\(arguments)")
            XCTAssertTrue(r.out.contains("predicted"), r.out)
            XCTAssertTrue(r.out.contains("n = 500"), r.out)
        }
        // Without the flag, plots are braille.
        let plain = try mapl(["run", path])
        XCTAssertTrue(plain.out.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
        // The curated sessions with traces (their rules' ∂, ᵀ, xᵢ), plots and histograms, all in ASCII.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for session in ["03-worked-example.mapl", "07-regularization.mapl", "demo.mapl"] {
            let r = try mapl(["run", "--ascii", root.appendingPathComponent("sessions/" + session).path])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertEqual(r.out.split(separator: "\n").filter { !$0.allSatisfy(\.isASCII) }, [], session)
        }
    }
    func testReplayFromACellThatIsNotThereIsAClearError() throws {
        let path = try file("x = 1\ny = 2\n")
        let r = try mapl(["replay", "--from", "3", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err, "mapl: --from takes a cell number from 1 to 2, got 3\n")
    }

    /// A saved session's annotations are acted on by `mapl run`: the fit pauses where F4 paused it, the
    /// continued run stops where Ctrl-C stopped it, and the file runs on after that recorded interrupt.
    /// 100 samples in batches of 10: the pause falls after 3 batches, :next 2 makes 5, the interrupt after
    /// 4 batches of epoch 2 makes 14.
    func testRunDoesTheRecordedPausesAndInterrupts() throws {
        let path = try file("""
            # saved from the mapl notebook

            #@ cell of 2 lines
            seed(2); d = spirals(50, 2)
            m = dense(2, 8, act=tanh) >> dense(8, 2)

            #@ pause before epoch 1 batch 4
            h = fit(m, d, epochs=3, batch=10)

            resume(training, batches=2)

            #@ interrupt after epoch 2 batch 4
            resume(training)

            print(training.status, len(h.batch_loss))
            """)
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("training paused before batch 4/10 of epoch 1/3"), r.out)
        XCTAssertTrue(r.out.contains("paused before batch 6/10 of epoch 1/3"), r.out)
        XCTAssertTrue(r.out.contains("training stopped by the user after 14 batches"), r.out)
        XCTAssertTrue(r.out.hasSuffix("interrupted 14\n"), r.out)
        XCTAssertTrue(r.err.contains("interrupted: stopped by the user"), r.err)
        // Without the annotations the fit runs its three epochs, and resume finds the run over.
        let plain = try file(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#@") }.joined(separator: "\n"))
        let r2 = try mapl(["run", plain])
        XCTAssertEqual(r2.status, 1)
        XCTAssertTrue(r2.err.contains("this training run is over") || r2.err.contains("'training'"), r2.err)
    }
}

/// Tests/run-sessions.sh, the harness `make test` runs the curated sessions with.
final class SessionRunnerTests: XCTestCase {
    /// A failing session's text is printed as it is: '%' and '\' in an error message are data, not a format.
    func testFailureTextIsPrintedVerbatim() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("fake-mapl-\(UUID().uuidString)").path
        try "#!/bin/sh\nprintf '%s\\n' '100% wrong: %s %d \\n done' >&2\nexit 1\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: fake) }
        let (status, text, _) = try Subprocess.run(["/bin/bash", "Tests/run-sessions.sh", fake], directory: root.path, mergingErrors: true)
        XCTAssertEqual(status, 1, text)
        let sessions = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("sessions").path).filter { $0.hasSuffix(".mapl") }
        XCTAssertGreaterThan(sessions.count, 0)
        XCTAssertTrue(text.contains("--- sessions/\(sessions.sorted()[0])\n100% wrong: %s %d \\n done\n"), text)
        XCTAssertTrue(text.hasSuffix("sessions: 0 passed, \(sessions.count) failed\n"), text)
        XCTAssertFalse(text.contains("invalid format"), text)
    }
}
