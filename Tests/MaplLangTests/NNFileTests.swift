import Foundation
import XCTest
@testable import MaplLang
import MaplNN

/// save/load of models (safetensors) and tensors (.npy), and run("file.mapl").
final class NNFileTests: XCTestCase {
    var folder = ""
    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "mapl-nn-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testModelRoundTripThroughSafetensors() throws {
        let s = Session()
        try s.run("""
        seed(1)
        a = dense(3, 4) >> relu >> dense(4, 2)
        save(a, "\(folder)/m.safetensors")
        seed(2)
        b = dense(3, 4) >> relu >> dense(4, 2)
        x = randn(5, 3)
        before = close(a(x), b(x))
        load(b, "\(folder)/m.safetensors")
        after = close(a(x), b(x))
        """)
        XCTAssertEqual(try s.echo("before"), "false")
        XCTAssertEqual(try s.echo("after"), "true")
        // The file, read independently of the language: PyTorch-style names, the model's values.
        let file = try Safetensors.read("\(folder)/m.safetensors")
        XCTAssertEqual(file.map(\.name).sorted(), ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"])
        guard case .mapping(let a as Model)? = s.interpreter.lookup("a"), let first = (a.stages[0] as? LayerMapping)?.layer as? Dense else {
            return XCTFail("no model")
        }
        XCTAssertEqual(file.first(where: { $0.name == "layers.0.W" })?.tensor.scalars, first.W.value.scalars)
    }

    func testLoadRejectsAMismatchedModelAndChangesNothing() throws {
        let s = Session()
        try s.run("""
        a = dense(3, 4) >> relu >> dense(4, 2)
        save(a, "\(folder)/m.safetensors")
        c = dense(3, 5) >> relu >> dense(5, 2)
        w = c.layers[0].W
        """)
        let before = s.tensor("w")
        let e = s.error("load(c, \"\(folder)/m.safetensors\")")
        XCTAssertEqual(e?.message, "\(folder)/m.safetensors: 'layers.0.W' has shape [3, 4] but the model's parameter has shape [3, 5]")
        XCTAssertEqual(s.interpreter.lookup("c").flatMap { v -> Tensor? in
            guard case .mapping(let m as Model) = v else { return nil }
            return m.parameterList.first?.value
        }?.scalars, before?.scalars)
        let missing = s.error("load(dense(3, 4), \"\(folder)/m.safetensors\")")
        XCTAssertTrue(missing?.message.contains("has no tensor 'W'") ?? false, missing?.message ?? "")
        XCTAssertEqual(s.error("save(a, \"\(folder)/m.npy\")")?.message, "save(): a model is saved as .safetensors, got \"\(folder)/m.npy\"")
    }

    func testTensorRoundTripThroughNPY() throws {
        let s = Session()
        try s.run("t = reshape(arange(6), 2, 3) / 4\nsave(t, \"\(folder)/t.npy\")\nu = load(\"\(folder)/t.npy\")")
        assertScalars(s.tensor("u"), [0, 0.25, 0.5, 0.75, 1, 1.25], shape: [2, 3])
        assertScalars(try NPY.read("\(folder)/t.npy"), [0, 0.25, 0.5, 0.75, 1, 1.25], shape: [2, 3])
    }

    func testRunExecutesAFileInTheSession() throws {
        try "k = 41\nbump(x) = x + 1\n".write(toFile: "\(folder)/lib.mapl", atomically: true, encoding: .utf8)
        try "a = 1\nb = a + undefined_name\n".write(toFile: "\(folder)/bad.mapl", atomically: true, encoding: .utf8)
        let s = Session()
        try s.run("run(\"\(folder)/lib.mapl\")\nz = bump(k)")
        XCTAssertEqual(s.number("z"), 42)
        let e = s.error("run(\"\(folder)/bad.mapl\")")
        XCTAssertTrue(e?.message.hasPrefix("in \(folder)/bad.mapl at line 2, column 9: ") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("b = a + undefined_name") ?? false, e?.message ?? "")
        XCTAssertEqual(s.number("a"), 1)      // what ran before the error stays
        XCTAssertNotNil(s.error("run(\"\(folder)/missing.mapl\")"))
    }
}
