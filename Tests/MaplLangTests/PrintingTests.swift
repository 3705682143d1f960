import XCTest
@testable import MaplLang
import MaplNN

/// Expected strings are written by hand from the format the printer documents (PyTorch's layout).
final class PrintingTests: XCTestCase {
    func testNumbersPrintLikePythonWithThePrintPrecision() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("3"), "3")
        XCTAssertEqual(try s.echo("2.5"), "2.5")
        XCTAssertEqual(try s.echo("1e-8"), "1e-08")
        XCTAssertEqual(try s.echo("0.1 + 0.2"), "0.3")          // at most precision(n) decimals, zeros dropped
        XCTAssertEqual(try s.echo("-0.5"), "-0.5")
        XCTAssertEqual(try s.echo("true"), "true")
        XCTAssertEqual(try s.echo("\"a\\\"b\""), "\"a\\\"b\"")
    }

    func testTensors() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("[0.37, 0.49]"), "tensor([0.3700, 0.4900])")
        XCTAssertEqual(try s.echo("[[0.1, 0.4], [0.2, 0.9]]"),
                       "tensor([[0.1000, 0.4000],\n        [0.2000, 0.9000]], shape=[2, 2])")
        XCTAssertEqual(try s.echo("[1, 2]"), "tensor([1., 2.])")
        XCTAssertEqual(try s.echo("[-1.5, 2]"), "tensor([-1.5000,  2.0000])")
        XCTAssertEqual(try s.echo("[1e-5, 1]"), "tensor([1.0000e-05, 1.0000e+00])")
        XCTAssertEqual(try s.echo("zeros(0, 3)"), "tensor([], shape=[0, 3])")
        XCTAssertEqual(try s.echo("reshape(arange(8), 2, 2, 2)"),
                       "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]], shape=[2, 2, 2])")
    }

    func testScalarsPrintAsPlainNumbers() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("sum([0.1, 0.2])"), "0.3")
        XCTAssertEqual(try s.echo("sum([1, 2])"), "3")
    }

    /// Plain numbers follow precision(n) as tensors do (item([1/3]) used to print 0.3333333432674408).
    func testPlainNumbersFollowPrecision() throws {
        let s = Session()
        try s.run("print(item([1 / 3]), 1 / 3, 2 / 3, 123456.789, -0.25, 1e-8, 0.000123456, 1e20, 3e16 + 1)")
        XCTAssertEqual(s.printed.last, "0.3333 0.3333 0.6667 123456.789 -0.25 1e-08 0.0001 1e+20 3e+16")   // 0.000123456: as PyTorch prints tensor([0.0001])
        try s.run("precision(2)\nprint(2 / 3, [2 / 3], sum([2 / 3]), {a: 1}.a)".replacingOccurrences(of: ", {a: 1}.a", with: ""))
        XCTAssertEqual(s.printed.last, "0.67 tensor([0.67]) 0.67")
        try s.run("precision(8)\nprint(1 / 3, item([1 / 3]))")
        // float32(1/3) is 0.3333333432674408 (NumPy: float(np.float32(1/3))).
        XCTAssertEqual(s.printed.last, "0.33333333 0.33333334")
        try s.run("precision(0)\nprint(2 / 3, 2.5, 0 / 0, -1 / 0)")
        XCTAssertEqual(s.printed.last, "1 2 nan -inf")   // %.0f rounds halves to even, as Python's f"{2.5:.0f}"
    }

    /// `str` is what print shows; `format` fixes the decimals as Python's f"{x:.3f}".
    func testStrAndFormat() throws {
        let s = Session()
        try s.run("print(\"epoch \" + str(3) + \": loss \" + str(1 / 3))")
        XCTAssertEqual(s.printed.last, "epoch 3: loss 0.3333")
        XCTAssertEqual(try s.echo("str(\"text\")"), "\"text\"")
        XCTAssertEqual(try s.echo("str([1, 2])"), "\"tensor([1., 2.])\"")
        XCTAssertEqual(try s.echo("str(none) + str(true)"), "\"nonetrue\"")
        // Python: f"{2/3:.3f}", f"{2:.3f}", f"{-0.0004:.3f}", f"{1e6/7:.1f}", f"{float('nan'):.2f}"
        XCTAssertEqual(try s.echo("format(2 / 3, digits=3)"), "\"0.667\"")
        XCTAssertEqual(try s.echo("format(2, digits=3)"), "\"2.000\"")
        XCTAssertEqual(try s.echo("format(-0.0004, digits=3)"), "\"-0.000\"")
        XCTAssertEqual(try s.echo("format(1e6 / 7, digits=1)"), "\"142857.1\"")
        XCTAssertEqual(try s.echo("format(0 / 0, digits=2)"), "\"nan\"")
        XCTAssertEqual(try s.echo("format(sum([0.125]), digits=2)"), "\"0.12\"")     // 0.125 is exact: half to even
        XCTAssertEqual(try s.echo("format(1 / 3)"), "\"0.3333\"")                      // digits default to precision(n)
        XCTAssertEqual(try s.echo("format([1 / 3, 2], digits=2)"), "\"tensor([0.33, 2.00])\"")
        XCTAssertEqual(s.error("format(\"a\", digits=2)")?.message, "format(): x must be a number or a tensor, got a string")
        XCTAssertEqual(s.error("format(1, digits=21)")?.message, "format(): digits must be between 0 and 20, got 21")
        XCTAssertEqual(s.error("\"h\" + 1")?.message, "cannot add a string and a number; str(x) turns a value into text: \"loss \" + str(x)")
    }

    /// A fit history prints as a summary, not its batch losses (print(h) used to dump 938 numbers).
    func testFitHistoryPrintsASummary() throws {
        let s = Session()
        try s.run("""
            seed(3)
            d = spirals(50, 2)
            m = dense(2, 8, act=tanh) >> dense(8, 2)
            h = fit(m, d, epochs=3, batch=10, val=d)
            print(h)
            """)
        let epochLine = s.printed[2]   // "epoch 3/3  loss L  val_loss V  val_accuracy A  …": fit's own formatting
        let words = epochLine.split(separator: " ").map(String.init)
        func after(_ w: String) -> Double? { Double(words[(words.firstIndex(of: w) ?? 0) + 1]) }
        let summary = s.printed[3].split(separator: "\n").map(String.init)
        XCTAssertEqual(summary.count, 2)
        XCTAssertTrue(summary[0].hasPrefix("fit history: 3 epochs, 30 batches; last loss "), summary[0])
        XCTAssertEqual(summary.last, "fields: loss [3], val_loss [3], val_accuracy [3], batch_loss [30]")
        // The last values are the epoch line's (printed there with 4 fixed decimals, here with zeros dropped).
        let last = summary[0].components(separatedBy: "; last ").last?.components(separatedBy: ", ") ?? []
        XCTAssertEqual(last.map { $0.split(separator: " ")[0] }, ["loss", "val_loss", "val_accuracy"])
        for (item, name) in zip(last, ["loss", "val_loss", "val_accuracy"]) {
            XCTAssertEqual(Double(item.split(separator: " ")[1]), after(name), item)
        }
        XCTAssertEqual(try s.echo("len(h.batch_loss)"), "30")
        try s.run("h2 = fit(m, d, epochs=1, batch=100)\nprint(h2)")
        XCTAssertTrue(s.printed.last?.hasSuffix("\nfields: loss [1], val_loss [0], val_accuracy [0], batch_loss [1]") ?? false, s.printed.last ?? "")
        XCTAssertTrue(s.printed.last?.hasPrefix("fit history: 1 epoch, 1 batch; last loss ") ?? false, s.printed.last ?? "")
        XCTAssertEqual(try s.echo("type(h)"), "\"record\"")
    }

    func testParametersAndGraphNodesAreMarked() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("w = param([1, 2])\nw"), "tensor([1., 2.], requires_grad=true)")
        XCTAssertEqual(try s.echo("w * 2"), "tensor([2., 4.], grad_fn=<mul>)")
    }

    func testPrecision() throws {
        let s = Session()
        try s.run("precision(2)")
        XCTAssertEqual(try s.echo("[0.123456, 1]"), "tensor([0.12, 1.00])")
        try s.run("precision(6)")
        XCTAssertEqual(try s.echo("[0.123456]"), "tensor([0.123456])")
    }

    func testLongTensorsAreElided() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("arange(2000)"),
                       "tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000])")
        let row = "[0., 0., 0., ..., 0., 0., 0.]"
        XCTAssertEqual(try s.echo("zeros(100, 100)"),
                       "tensor([\(row),\n        \(row),\n        \(row),\n        ...,\n        \(row),\n        \(row),\n        \(row)], shape=[100, 100])")
        // 1000 elements is at NumPy's threshold: printed in full.
        let full = try s.echo("zeros(1000)")
        XCTAssertFalse(full.contains("..."))
    }

    func testLongRowsWrapAt80Columns() throws {
        let s = Session()
        let text = try s.echo("arange(20) * 1.5")
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,")
        XCTAssertEqual(lines[2], "        24.0000, 25.5000, 27.0000, 28.5000])")
        for line in lines { XCTAssertLessThanOrEqual(line.count, 80) }
    }

    func testListsRecordsAndMappings() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("zeros(2, 3).shape"), "[2, 3]")
        XCTAssertEqual(try s.echo("[1, \"a\", none]"), "[1, \"a\", none]")
        XCTAssertEqual(try s.echo("relu"), "<mapping relu>")
        XCTAssertEqual(try s.echo("fn area(w, h) { w * h }\narea"), "<fn area(w, h)>")
        XCTAssertEqual(try s.echo("(a, b) -> a + b"), "<fn (a, b) -> …>")
        XCTAssertEqual(try s.echo("[relu, 1]"), "[<mapping relu>, 1]")
        s.interpreter.setGlobal("r", .record(Record([("loss", .number(0.1)), ("accuracy", .number(0.97))])))
        XCTAssertEqual(try s.echo("r"), "{loss: 0.1, accuracy: 0.97}")
        try s.run("print(\"loss\", 0.25, [1, 2])")
        XCTAssertEqual(s.printed, ["loss 0.25 tensor([1., 2.])"])
    }
}
