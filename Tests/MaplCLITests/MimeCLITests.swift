import XCTest
import Foundation
import MaplTestSupport

/// `mapl run FILE --mime DIR`: the chapter's worked example written as the Jupyter kernel sends its outputs —
/// the printed lines as text, the trace as HTML with the example's numbers (by hand: z = [0.37, 0.49],
/// ∂L/∂z = [-0.0987, 0.1461]), a `show` as a PNG of the digit's size scaled up, a fit as its final loss curve.
extension CLITests {
    func testMimeWritesEachOutputAsTheKernelSendsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mime-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("mime-\(UUID().uuidString).mapl")
        addTeardownBlock { try? FileManager.default.removeItem(at: source) }
        try (WorkedExample.program + "\nprint(\"z =\", z)\ntrace(L)\nshow(rand(28, 28))\nd = xor()\nm = dense(2, 3) >> tanh >> dense(3, 1)\nh = fit(m, d, loss=mse, epochs=2)\n")
            .write(to: source, atomically: true, encoding: .utf8)
        let r = try mapl(["run", source.path, "--mime", dir.path])
        XCTAssertEqual(r.status, 0, r.err)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names, ["1.txt", "2.html", "2.txt", "3.png", "3.txt", "4.svg", "4.txt"])
        func read(_ name: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }
        XCTAssertEqual(try read("1.txt"), "z = tensor([0.3700, 0.4900], grad_fn=<add>)")
        let html = try read("2.html")
        XCTAssertTrue(html.contains("[0.3700, 0.4900]") && html.contains("[-0.0987, 0.1461]"), html)
        let trace = try read("2.txt"), fit = try read("4.txt")
        XCTAssertTrue(r.out.contains(trace), "the trace's text is what mapl run prints")
        XCTAssertTrue(fit.hasPrefix("epoch 1/2  loss ") && r.out.contains(fit), fit)
        let size = try NumPy.run("""
            import png
            w, h, rows, info = png.Reader(filename=\(String(reflecting: dir.appendingPathComponent("3.png").path))).read()
            print(w >= 168, h >= 168)
            """)
        XCTAssertEqual(size.trimmingCharacters(in: .whitespacesAndNewlines), "True True")
    }
}
