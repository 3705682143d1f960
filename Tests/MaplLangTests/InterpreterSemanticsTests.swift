import XCTest
@testable import MaplLang
import MaplNN

func assertScalars(_ t: Tensor?, _ expected: [Float], shape: [Int]? = nil, accuracy: Float = 1e-5,
                   file: StaticString = #filePath, line: UInt = #line) {
    guard let t else { return XCTFail("no tensor", file: file, line: line) }
    if let shape { XCTAssertEqual(t.shape, shape, file: file, line: line) }
    XCTAssertEqual(t.scalars.count, expected.count, "element count", file: file, line: line)
    for (a, b) in zip(t.scalars, expected) { XCTAssertEqual(a, b, accuracy: accuracy, file: file, line: line) }
}

final class InterpreterSemanticsTests: XCTestCase {
    func testListLiteralsOfNumbersAreTensorsOthersAreLists() throws {
        let s = Session()
        try s.run("a = [[1, 2], [3, 4]]\nb = [1, \"x\"]\nc = []\nd = [[1, 2], [3]]")
        assertScalars(s.tensor("a"), [1, 2, 3, 4], shape: [2, 2])
        XCTAssertEqual(s.interpreter.lookup("b")?.typeName, "list")
        XCTAssertEqual(s.interpreter.lookup("c")?.typeName, "list")
        XCTAssertEqual(s.interpreter.lookup("d")?.typeName, "list")   // ragged
    }

    func testPlainTensorsAreValues() throws {
        let s = Session()
        try s.run("b = [1, 2, 3]\na = b\na[0] = 10\nc = b\nc += 1")
        assertScalars(s.tensor("b"), [1, 2, 3])
        assertScalars(s.tensor("a"), [10, 2, 3])
        assertScalars(s.tensor("c"), [2, 3, 4])
    }

    func testParametersAreSharedObjects() throws {
        let s = Session()
        try s.run("""
        W = param([[1, 2], [3, 4]])
        V = W
        V[0, 1] = 0.4
        V -= 1
        """)
        // Both names hold the very same parameter: the writes through V are visible through W.
        assertScalars(s.tensor("W"), [0, -0.6, 2, 3], shape: [2, 2])
        XCTAssertTrue(s.interpreter.lookup("W")?.variable === s.interpreter.lookup("V")?.variable)
        XCTAssertEqual(s.interpreter.lookup("W")?.variable?.isParameter, true)
    }

    func testInPlaceUpdateTrainsAndIsNotRecorded() throws {
        let s = Session()
        try s.run("""
        w = param([1, 2])
        loss = sum(w * w)
        backward(loss)
        w -= 0.1 * w.grad
        """)
        // grad = 2w = [2, 4]; w - 0.1*grad = [0.8, 1.6]
        assertScalars(s.tensor("w"), [0.8, 1.6])
        let w = s.interpreter.lookup("w")?.variable
        XCTAssertEqual(w?.isParameter, true)
        XCTAssertNil(w?.op)
    }

    func testBroadcastingThroughTheLanguage() throws {
        let s = Session()
        // Expected values from NumPy: a + [10, 20] and [1,2,3] * [[1],[2]].
        try s.run("a = [[1, 2], [3, 4]] + [10, 20]\nb = [1, 2, 3] * [[1], [2]]\nc = [[1, 2], [3, 4]] @ [[1, 2], [3, 4]]\nd = 2 * [1, 2] - 1")
        assertScalars(s.tensor("a"), [11, 22, 13, 24], shape: [2, 2])
        assertScalars(s.tensor("b"), [1, 2, 3, 2, 4, 6], shape: [2, 3])
        assertScalars(s.tensor("c"), [7, 10, 15, 22], shape: [2, 2])
        assertScalars(s.tensor("d"), [1, 3])
    }

    func testNumberArithmeticIsPythonLike() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("7 % -3"), "-2")      // Python: 7 % -3 == -2
        XCTAssertEqual(try s.echo("-7 % 3"), "2")
        XCTAssertEqual(try s.echo("2^10"), "1024")
        XCTAssertEqual(try s.echo("1 / 0"), "inf")      // IEEE, as NumPy
        XCTAssertEqual(try s.echo("5 / 2"), "2.5")
        XCTAssertEqual(try s.echo("\"ab\" + \"cd\""), "\"abcd\"")
    }

    func testIndexingAndSlicing() throws {
        let s = Session()
        try s.run("x = [[1, 2, 3], [4, 5, 6]]\na = x[1]\nb = x[:, 1]\nc = x[-1, -1]\nd = x[0, 1:]\ne = x[:, ::2]")
        assertScalars(s.tensor("a"), [4, 5, 6])
        assertScalars(s.tensor("b"), [2, 5])
        assertScalars(s.tensor("c"), [6], shape: [])
        assertScalars(s.tensor("d"), [2, 3])
        assertScalars(s.tensor("e"), [1, 3, 4, 6], shape: [2, 2])
        XCTAssertEqual(try s.echo("x.shape"), "[2, 3]")
        XCTAssertEqual(try s.echo("x.ndim"), "2")
        assertScalars(try s.run("x.T")?.variable?.value, [1, 4, 2, 5, 3, 6], shape: [3, 2])
        XCTAssertEqual(try s.echo("x.shape[-1]"), "3")
    }

    func testTruthiness() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("[1, 2] and 3"), "true")
        XCTAssertEqual(try s.echo("[1, 0] or 0"), "false")       // a tensor is true only if every element is non-zero
        XCTAssertEqual(try s.echo("not zeros(0)"), "true")        // an empty tensor is false
        XCTAssertEqual(try s.echo("not 0"), "true")
        XCTAssertEqual(try s.echo("not 0.5"), "false")
        // Short-circuit: the right side is never evaluated.
        XCTAssertEqual(try s.echo("false and undefined_name"), "false")
        XCTAssertEqual(try s.echo("true or undefined_name"), "true")
        XCTAssertNotNil(s.error("if \"yes\" { 1 }"))
    }

    func testEqualityRules() throws {
        let s = Session()
        try s.run("x = zeros(2, 3)")
        XCTAssertEqual(try s.echo("x.shape == [2, 3]"), "true")
        XCTAssertEqual(try s.echo("x.shape == [3, 2]"), "false")
        XCTAssertEqual(try s.echo("x.shape != [2, 3]"), "false")
        XCTAssertEqual(try s.echo("x.shape == [2, 3, 1]"), "false")
        XCTAssertEqual(try s.echo("[1, 2] == zeros(3)"), "false")  // cannot broadcast: unequal, not an error
        XCTAssertEqual(try s.echo("[1, 2] != zeros(3)"), "true")
        XCTAssertEqual(try s.echo("1 == \"1\""), "false")           // different kinds
        XCTAssertEqual(try s.echo("none == none"), "true")
        XCTAssertEqual(try s.echo("\"a\" == \"a\""), "true")
        assertScalars(try s.run("[1, 2, 3] == [1, 5, 3]")?.variable?.value, [1, 0, 1])
        assertScalars(try s.run("[1, 2, 3] > 1")?.variable?.value, [0, 1, 1])
        XCTAssertEqual(try s.echo("2 <= 3"), "true")
    }

    func testScopesAndClosures() throws {
        let s = Session()
        try s.run("""
        x = 1
        fn f(a) {
          x = 100
          return a + x
        }
        r = f(1)
        make_adder(n) = (v -> v + n)
        add3 = make_adder(3)
        r2 = add3(4)
        if true { y = 5 }
        for i in 1..2 { z = i }
        """)
        XCTAssertEqual(s.number("x"), 1)     // the body's x was local
        XCTAssertEqual(s.number("r"), 101)
        XCTAssertEqual(s.number("r2"), 7)
        XCTAssertEqual(s.number("y"), 5)     // if blocks share the enclosing scope
        XCTAssertEqual(s.number("z"), 2)
        XCTAssertEqual(s.number("i"), 2)
        XCTAssertNil(s.interpreter.lookup("a"))
    }

    func testDefaultsAndKeywords() throws {
        let s = Session()
        try s.run("""
        fn step(x, lr=0.5, scale=2) { x - lr * scale }
        a = step(10)
        b = step(10, scale=1)
        c = step(lr=1, x=3)
        """)
        XCTAssertEqual(s.number("a"), 9)
        XCTAssertEqual(s.number("b"), 9.5)
        XCTAssertEqual(s.number("c"), 1)
        XCTAssertEqual(s.error("step(1, 2, 3, 4)")?.message, "step() takes 1 to 3 arguments, got 4")
        XCTAssertEqual(s.error("step()")?.message, "step() takes 1 to 3 arguments, got 0")
        XCTAssertEqual(s.error("step(1, rate=2)")?.message, "step() has no parameter named 'rate'; parameters: x, lr, scale")
        XCTAssertEqual(s.error("step(1, x=2)")?.message, "step() got two values for 'x'")
    }

    func testLoopsBreakContinueWhile() throws {
        let s = Session()
        try s.run("""
        total = 0
        for i in 1..10 {
          if i % 2 == 0 { continue }
          if i > 7 { break }
          total += i
        }
        n = 0
        while true { n += 1; if n >= 4 { break } }
        rows = 0
        for r in [[1, 2], [3, 4], [5, 6]] { rows += r[1] }
        names = ""
        for w in ["a", "b"] { names = names + w }
        """)
        XCTAssertEqual(s.number("total"), 1 + 3 + 5 + 7)
        XCTAssertEqual(s.number("n"), 4)
        assertScalars(s.tensor("rows"), [12], shape: [])
        XCTAssertEqual(try s.echo("names"), "\"ab\"")
    }

    func testReturnFromInsideALoop() throws {
        let s = Session()
        try s.run("""
        fn first_over(xs, limit) {
          for x in xs { if x > limit { return x } }
          return -1
        }
        a = first_over([1, 5, 9], 4)
        b = first_over([1, 2], 4)
        """)
        assertScalars(s.tensor("a"), [5], shape: [])
        XCTAssertEqual(s.number("b"), -1)
    }

    func testCompositionAndPipe() throws {
        let s = Session()
        try s.run("""
        double(x) = 2 * x
        inc(x) = x + 1
        h = double >> inc
        a = h(5)
        b = 5 |> inc >> double
        c = [-1, 2] |> relu >> sigmoid
        """)
        XCTAssertEqual(s.number("a"), 11)
        XCTAssertEqual(s.number("b"), 12)
        // sigmoid(relu([-1, 2])) = [sigmoid(0), sigmoid(2)] = [0.5, 0.880797]
        assertScalars(s.tensor("c"), [0.5, 0.8807971])
        XCTAssertEqual(try s.echo("h"), "<mapping double >> inc>")
    }

    func testNogradRecordsNothing() throws {
        let s = Session()
        try s.run("w = param([1, 2])\nnograd { y = w * 3 }\nz = w * 3")
        XCTAssertEqual(s.interpreter.lookup("y")?.variable?.requiresGrad, false)
        XCTAssertEqual(s.interpreter.lookup("z")?.variable?.requiresGrad, true)
        XCTAssertTrue(GradMode.isEnabled)
    }

    func testTimeGivesSecondsAndSharesScope() throws {
        let s = Session()
        try s.run("t = time { q = 1 + 1 }")
        XCTAssertEqual(s.number("q"), 2)
        XCTAssertEqual(s.interpreter.lookup("t")?.typeName, "number")
        XCTAssertGreaterThanOrEqual(s.number("t") ?? -1, 0)
    }

    func testRecordFieldsAndFieldAssignment() throws {
        let s = Session()
        s.interpreter.setGlobal("r", .record(Record([("loss", .number(0.5)), ("accuracy", .number(0.9))])))
        try s.run("a = r.loss\nq = r\nq.loss = 1")
        XCTAssertEqual(s.number("a"), 0.5)
        XCTAssertEqual(try s.echo("r"), "{loss: 0.5, accuracy: 0.9}")   // records are values too
        XCTAssertEqual(try s.echo("q"), "{loss: 1, accuracy: 0.9}")
        XCTAssertEqual(s.error("r.los")?.message, "a record has no field 'los' — did you mean 'loss'?; fields: loss, accuracy")
    }

    func testGlobalsPersistAcrossRunsAndErrorsKeepState() throws {
        let s = Session()
        try s.run("a = 1")
        _ = s.error("a = 2\nb = undefined_thing")
        XCTAssertEqual(s.number("a"), 2)
        XCTAssertEqual(try s.echo("a + 1"), "3")
        XCTAssertEqual(try s.echo("print(1)"), "")   // none is not echoed
    }

    func testLayerHookExposesParametersAsSharedFields() throws {
        final class Affine: Layer {
            let W = Variable.parameter(Tensor([1, 2]), label: "W")
            var kind: String { "affine" }
            func callAsFunction(_ x: Variable) throws -> Variable { try x * W }
            var ownParameters: [(name: String, value: Variable)] { [("W", W)] }
        }
        let layer = Affine()
        let s = Session()
        s.interpreter.setGlobal("m", .mapping(LayerMapping(layer)))
        try s.run("y = m([3, 4])\nm.W *= 0.5\nm.W[0] = 7\nn = len(m.params)")
        assertScalars(s.tensor("y"), [3, 8])
        assertScalars(layer.W.value, [7, 1])
        XCTAssertEqual(s.number("n"), 1)
        try s.run("zero_grad(m)")
    }

    func testCompositionOfLayersExposesLayersForInPlaceUpdates() throws {
        final class Scale: Layer {
            let b = Variable.parameter(Tensor([1, 1]), label: "b")
            var kind: String { "scale" }
            func callAsFunction(_ x: Variable) throws -> Variable { try x + b }
            var ownParameters: [(name: String, value: Variable)] { [("b", b)] }
        }
        let first = Scale(), second = Scale()
        let s = Session()
        s.interpreter.setGlobal("l1", .mapping(LayerMapping(first)))
        s.interpreter.setGlobal("l2", .mapping(LayerMapping(second)))
        try s.run("m = l1 >> relu >> l2\nm.layers[0].b *= 0\nm.layers[2].b[1] = 5\ny = m([-3, 2])\nk = len(m.params)")
        assertScalars(first.b.value, [0, 0])
        assertScalars(second.b.value, [1, 5])
        assertScalars(s.tensor("y"), [1, 7])     // relu([-3, 2] + 0) + [1, 5]
        XCTAssertEqual(s.number("k"), 2)
    }

    func testLibraryObjectsIterateIndexAndMeasure() throws {
        final class Numbers: ObjectValue, IterableValue, IndexableValue, LengthValue {
            var typeName: String { "dataset" }
            var displayString: String { "<dataset of 3>" }
            var fieldNames: [String] { ["x"] }
            func field(_ name: String) throws -> Value? { name == "x" ? .constant(Tensor([10, 20, 30])) : nil }
            func makeValueIterator() throws -> ValueIterator { ArrayValueIterator([.number(1), .number(2), .number(3)]) }
            func index(_ subscripts: [SubscriptValue]) throws -> Value {
                guard case .value(let v)? = subscripts.first else { throw RuntimeError("one index") }
                return .record(Record([("i", v)]))
            }
            var length: Int { 3 }
        }
        let s = Session()
        s.interpreter.setGlobal("d", .object(Numbers()))
        try s.run("t = 0\nfor v in d { t += v }\nr = d[2]\nn = len(d)\nx = d.x")
        XCTAssertEqual(s.number("t"), 6)
        XCTAssertEqual(try s.echo("r.i"), "2")
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertEqual(try s.echo("type(d)"), "\"dataset\"")
        XCTAssertEqual(s.error("d.y")?.message, "a dataset has no field 'y'; fields: x")
    }
}
