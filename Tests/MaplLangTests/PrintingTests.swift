import XCTest
@testable import MaplLang
import MaplNN

/// Expected strings are written by hand from the format the printer documents (PyTorch's layout).
final class PrintingTests: XCTestCase {
    func testNumbersPrintLikePython() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("3"), "3")
        XCTAssertEqual(try s.echo("2.5"), "2.5")
        XCTAssertEqual(try s.echo("1e-8"), "1e-08")
        XCTAssertEqual(try s.echo("0.1 + 0.2"), "0.30000000000000004")
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
        XCTAssertEqual(try s.echo("sum([0.1, 0.2])"), "0.3000")
        XCTAssertEqual(try s.echo("sum([1, 2])"), "3")
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
