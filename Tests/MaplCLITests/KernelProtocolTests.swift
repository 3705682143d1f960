import XCTest
import Foundation
import MaplTestSupport

/// The Jupyter kernel (`mapl kernel`) checked from outside by the Jupyter project's own tools, in
/// Tests/Kernel/test_kernel.py: jupyter_kernel_test's KernelTests with mapl's samples (message schemas
/// validated by the package), interrupt and restart through jupyter_client, a killed client, bad input on
/// the wire, the fit's live display, the kernel's journal replayed, and the notebooks in sessions/ run by nbclient. The kernelspec of the `mapl` under
/// test goes into a temporary prefix that JUPYTER_PATH points at.
final class KernelProtocolTests: XCTestCase {
    private func runPython(_ tests: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-kernel-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let binary = URL(fileURLWithPath: TmuxDriver.mapl).resolvingSymlinksInPath().path
        let install = Process()
        install.executableURL = URL(fileURLWithPath: binary)
        install.arguments = ["kernel", "--install", "--prefix", folder.path]
        install.standardOutput = FileHandle.nullDevice
        try install.run()
        install.waitUntilExit()
        XCTAssertEqual(install.terminationStatus, 0, "mapl kernel --install failed")
        let spec = try String(contentsOfFile: folder.path + "/share/jupyter/kernels/mapl/kernel.json", encoding: .utf8)
        XCTAssertTrue(spec.contains("\"argv\":[\"\(binary)\",\"kernel\",\"{connection_file}\"]"), spec)
        // The launcher's logos: PNGs of the sizes their names say (IHDR's width and height, big-endian).
        for size in [32, 64] {
            let png = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/share/jupyter/kernels/mapl/logo-\(size)x\(size).png"))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            XCTAssertEqual(png.count > 24 ? Array(png[16..<24]) : [], [0, 0, 0, UInt8(size), 0, 0, 0, UInt8(size)])
        }

        let result = try Jupyter.run(["-m", "unittest", "-v", tests], environment: [
            "JUPYTER_PATH": folder.path + "/share/jupyter",
            "MAPL_BINARY": binary,
            "MAPL_JOURNAL": folder.path + "/journal.jsonl",
            // Under Tests/run-tsan.sh the `mapl` next to the tests is the ThreadSanitizer build: a race in the
            // kernel's threads ends it at once, and so fails the test that drove it.
            "TSAN_OPTIONS": "halt_on_error=1",
        ])
        XCTAssertEqual(result.status, 0, "\(tests) failed:\n\(result.error)\n\(result.output)")
    }

    func testJupyterKernelTestSuite() throws { try runPython("Tests.Kernel.test_kernel.MaplKernelTests") }

    func testInterruptRestartAndLiveDisplay() throws { try runPython("Tests.Kernel.test_kernel.ClientTests") }

    func testKilledClientLeavesNoKernel() throws { try runPython("Tests.Kernel.test_kernel.KilledClientTests") }

    func testBadInputIsDroppedNeverExecuted() throws { try runPython("Tests.Kernel.test_kernel.BadInputTests") }

    func testJournalReplaysWithRerunCheck() throws { try runPython("Tests.Kernel.test_kernel.JournalTests") }

    func testWorkedExampleNotebookThroughNbclient() throws {
        try runPython("Tests.Kernel.test_kernel.NotebookTests.test_worked_example_notebook_runs_with_the_chapters_numbers")
    }

    /// The chapter's MLP on the real MNIST (sessions/05-mnist-mlp.ipynb), its fit one live display.
    func testMNISTNotebookThroughNbclient() throws {
        _ = try RealData.mnistData()
        try runPython("Tests.Kernel.test_kernel.NotebookTests.test_mnist_notebook_runs_with_a_live_fit")
    }

    /// A connection file that cannot be used is a clear message and exit status 1, not a crash or a hang.
    func testBadConnectionFileIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String?, String)] = [
            ("missing.json", nil, "cannot read the connection file"),
            ("truncated.json", "{\"shell_port\": 5000,", "JSON: expected a quoted key at byte 20"),
            ("port0.json", "{\"shell_port\": 0, \"control_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3, \"hb_port\": 4}",
             "shell_port must be a port number (1 to 65535)"),
            ("md5.json", "{\"shell_port\": 1, \"control_port\": 2, \"iopub_port\": 3, \"stdin_port\": 4, \"hb_port\": 5, \"key\": \"k\", \"signature_scheme\": \"hmac-md5\"}",
             "signature_scheme hmac-md5 is not supported"),
        ]
        for (name, contents, message) in cases {
            let path = folder.appendingPathComponent(name).path
            if let contents { try contents.write(toFile: path, atomically: true, encoding: .utf8) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TmuxDriver.mapl)
            p.arguments = ["kernel", path]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 1, name)
            XCTAssertTrue(text.contains(message), "\(name): \(text)")
        }
    }
}
