import XCTest
@testable import MaplLang
import MaplNN

final class BuiltinRegistryTests: XCTestCase {
    func testEveryContractBuiltinIsRegisteredWithSignatureAndHelp() {
        let r = BuiltinRegistry.standard()
        XCTAssertEqual(r.problems, [])
        let required = "tensor zeros ones full rand randn arange linspace eye onehot param detach seed reshape transpose concat stack item len exp log sqrt abs sin cos tanh sigmoid relu gelu leaky_relu clip where sum mean max min var std argmax softmax log_softmax backward zero_grad grad gradcheck print assert close type help vars precision round matmul"
        for name in required.split(separator: " ").map(String.init) {
            guard let b = r[name] else { XCTFail("missing builtin \(name)"); continue }
            XCTAssertTrue(b.signature.hasPrefix(name + "("), b.signature)
            XCTAssertFalse(b.help.isEmpty, name)
        }
        XCTAssertEqual(r["sum"]?.signature, "sum(x, axis=none, keepdims=false)")
        XCTAssertEqual(r["zeros"]?.parameters, [ParameterSpec(name: "dims", variadic: true)])
        XCTAssertEqual(r.completions(prefix: "log"), ["log", "log_softmax"])
    }

    func testSignatureParsing() throws {
        let b = try Builtin("f(a, b=2.5, c=\"x\", d=none, rest...)", category: "t", help: "h") { _ in .none }
        XCTAssertEqual(b.parameters.map(\.name), ["a", "b", "c", "d", "rest"])
        XCTAssertEqual(b.parameters.map(\.hasDefault), [false, true, true, true, false])
        XCTAssertThrowsError(try Builtin("nope", category: "t", help: "h") { _ in .none })
        XCTAssertThrowsError(try Builtin("f(a=oops)", category: "t", help: "h") { _ in .none })
    }

    func testNNStyleRegistrationPlugsIn() throws {
        // How the nn integration adds builtins: register into a registry, then build the interpreter on it.
        let r = BuiltinRegistry.standard()
        r.register("double_it(x, times=2)", category: "layers", "multiplies") { a in
            .tensor(try a.variable("x") * Variable(Tensor(a.float("times"))))
        }
        let s = Interpreter(registry: r)
        let v = try s.run(try mapl("double_it([1, 2], times=3)"))
        assertScalars(v?.variable?.value, [3, 6])
        XCTAssertTrue(s.helpText(for: .string("double_it")).hasPrefix("double_it(x, times=2)\n  multiplies"))
    }

    func testHelpAndVarsAndType() throws {
        let s = Session()
        try s.run("help(sum)\nhelp(\"softmx\")\nw = param(zeros(2, 3))\nf(x) = x\nvars()")
        XCTAssertEqual(s.printed[0], "sum(x, axis=none, keepdims=false)\n  the sum of all elements, or along axis\n  example: sum([[1, 2], [3, 4]], axis=0)")
        XCTAssertEqual(s.printed[1], "no builtin, keyword or syntax named 'softmx' — did you mean 'softmax'? (help() lists them all)")
        XCTAssertEqual(Array(s.printed[2...]), ["w  tensor [2, 3] (parameter)", "f  <fn f(x)>"])
        XCTAssertEqual(try s.echo("type(w)"), "\"tensor\"")
        XCTAssertEqual(try s.echo("type(relu)"), "\"mapping\"")
        XCTAssertEqual(try s.echo("type(w.shape)"), "\"list\"")
    }

    func testCreationBuiltins() throws {
        let s = Session()
        try s.run("""
        a = zeros(2, 3)
        b = ones(zeros(4, 1).shape)
        c = full([2], 0.5)
        d = arange(4)
        e = arange(1, 2, 0.25)
        f = linspace(0, 1, 5)
        g = eye(2)
        h = onehot([2, 0], 3)
        t = tensor([[1, 2]])
        """)
        assertScalars(s.tensor("a"), [0, 0, 0, 0, 0, 0], shape: [2, 3])
        assertScalars(s.tensor("b"), [1, 1, 1, 1], shape: [4, 1])
        assertScalars(s.tensor("c"), [0.5, 0.5])
        assertScalars(s.tensor("d"), [0, 1, 2, 3])
        assertScalars(s.tensor("e"), [1, 1.25, 1.5, 1.75])        // NumPy arange(1, 2, 0.25)
        assertScalars(s.tensor("f"), [0, 0.25, 0.5, 0.75, 1])     // NumPy linspace(0, 1, 5)
        assertScalars(s.tensor("g"), [1, 0, 0, 1], shape: [2, 2])
        assertScalars(s.tensor("h"), [0, 0, 1, 1, 0, 0], shape: [2, 3])
        assertScalars(s.tensor("t"), [1, 2], shape: [1, 2])
    }

    func testSeedMakesRandomDrawsReproducible() throws {
        let s = Session()
        try s.run("seed(7)\na = randn(5)\nb = rand(2, 2)\nseed(7)\nc = randn(5)\nd = rand(2, 2)")
        XCTAssertEqual(s.tensor("a")?.scalars, s.tensor("c")?.scalars)
        XCTAssertEqual(s.tensor("b")?.scalars, s.tensor("d")?.scalars)
        XCTAssertNotEqual(s.tensor("a")?.scalars, try s.run("randn(5)")?.variable?.value.scalars)
    }

    func testReductionsAndSoftmax() throws {
        let s = Session()
        try s.run("""
        x = [[1, 5, 3], [4, 2, 6]]
        s0 = sum(x, axis=0)
        m1 = mean(x, 1)
        mx = max(x, axis=1)
        mn = min(x, axis=0, keepdims=true)
        v = var(x)
        sd = std(x, axis=0)
        am = argmax(x)
        am1 = argmax(x, axis=1)
        sm = softmax([1, 2, 3])
        lsm = log_softmax([1, 2, 3])
        """)
        // Expected values from NumPy on the same array.
        assertScalars(s.tensor("s0"), [5, 7, 9])
        assertScalars(s.tensor("m1"), [3, 4])
        assertScalars(s.tensor("mx"), [5, 6])
        assertScalars(s.tensor("mn"), [1, 2, 3], shape: [1, 3])
        assertScalars(s.tensor("v"), [2.9166667], shape: [])
        assertScalars(s.tensor("sd"), [1.5, 1.5, 1.5])
        assertScalars(s.tensor("am"), [5], shape: [])
        assertScalars(s.tensor("am1"), [1, 2])
        assertScalars(s.tensor("sm"), [0.09003057, 0.24472847, 0.66524096])
        assertScalars(s.tensor("lsm"), [-2.40760596, -1.40760596, -0.40760596])
    }

    func testShapeAndElementwiseBuiltins() throws {
        let s = Session()
        try s.run("""
        r = reshape(arange(6), 2, -1)
        tr = transpose(r)
        c = concat([[1, 2], [3]], axis=0)
        st = stack([[1, 2], [3, 4]], axis=1)
        n = item(sum([1, 2]))
        l = len(zeros(4, 2))
        w = where([1, 0, 1], [1, 2, 3], [-1, -2, -3])
        cl = clip([-2, 0.5, 3], 0, 1)
        lr = leaky_relu([-2, 3], 0.5)
        e = exp(1)
        rd = round(2.5)
        rd2 = round(0.125, 2)
        rt = round([0.5, 1.5, 2.46], 1)
        mm = matmul([[1, 2]], [[3], [4]])
        ok = close([1, 2], [1, 2.1], tol=0.1)
        notok = close([1, 2], [1, 2.1])
        """)
        assertScalars(s.tensor("r"), [0, 1, 2, 3, 4, 5], shape: [2, 3])
        assertScalars(s.tensor("tr"), [0, 3, 1, 4, 2, 5], shape: [3, 2])
        assertScalars(s.tensor("c"), [1, 2, 3])
        assertScalars(s.tensor("st"), [1, 3, 2, 4], shape: [2, 2])
        XCTAssertEqual(s.number("n"), 3)
        XCTAssertEqual(s.number("l"), 4)
        assertScalars(s.tensor("w"), [1, -2, 3])                // NumPy where
        assertScalars(s.tensor("cl"), [0, 0.5, 1])
        assertScalars(s.tensor("lr"), [-1, 3])
        XCTAssertEqual(s.number("e") ?? 0, 2.718281828459045, accuracy: 1e-15)
        XCTAssertEqual(s.number("rd"), 2)                         // NumPy rounds halves to even
        XCTAssertEqual(s.number("rd2"), 0.12)                     // NumPy round(0.125, 2)
        assertScalars(s.tensor("rt"), [0.5, 1.5, 2.5])
        assertScalars(s.tensor("mm"), [11], shape: [1, 1])
        XCTAssertEqual(try s.echo("ok"), "true")
        XCTAssertEqual(try s.echo("notok"), "false")
    }
}

/// help covers builtins, keywords and syntax, each with an example (it knew only builtins: help("nograd")
/// suggested 'grad', help(time) failed).
final class HelpTests: XCTestCase {
    func testKeywordsAndSyntaxHaveHelp() throws {
        let s = Session()
        try s.run("help(nograd)\nhelp(time)\nhelp(\">>\")\nhelp(\"[a:b]\")\nhelp(\"nogradd\")")
        XCTAssertEqual(s.printed, [
            "nograd { … }\n  runs the block without recording anything for gradients (evaluation, manual updates)\n  example: W = param(ones(2)); nograd { y = W * 2 }",
            "time { … }\n  runs the block and gives the seconds it took\n  example: t = time { s = sum(randn(1000, 1000)) }",
            "f >> g\n  composition: (f >> g)(x) is g(f(x)); layers, activations and functions compose into a model\n  example: model = flatten >> dense(784, 128) >> relu >> dense(128, 10)",
            "x[i], x[a:b:step], x[i, :, j]\n  index and slice, Python's rules: negative indices count from the end, a missing bound is the end\n  example: x = arange(10); x[-1] + sum(x[2:5])",
            "no builtin, keyword or syntax named 'nogradd' — did you mean 'nograd'? (help() lists them all)",
        ])
        // The notebook's ?name and :help name ask by text.
        XCTAssertEqual(s.interpreter.helpText(topic: "if"), s.interpreter.helpText(for: .string("if")))
        XCTAssertTrue(s.interpreter.helpText(topic: "->").hasPrefix("x -> expr, (a, b) -> expr\n  an anonymous mapping\n  example: square = x -> x ^ 2"))
        XCTAssertTrue(s.interpreter.helpText(topic: "def").hasPrefix("fn name(params) { … }"))
    }

    func testOverviewListsTheCategories() throws {
        let s = Session()
        try s.run("help()")
        let lines = s.printed[0].split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("  layers      dense conv2d maxpool2d avgpool2d flatten dropout batchnorm layernorm embedding rnn lstm attention seq train eval summary"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("keywords:  if else for in while fn return break continue true false none and or not nograd time"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("syntax:    = += -> |> >> ") })
        XCTAssertTrue(lines.last?.contains("docs/language.md") ?? false)
        XCTAssertTrue(s.interpreter.helpText(topic: "keywords").hasPrefix("keywords:\n  if cond { … } else if cond { … } else { … } — runs the first block"))
        XCTAssertTrue(s.interpreter.helpText(topic: "losses").hasPrefix("losses:\n  mse(prediction, target) — mean squared error"))
    }

    /// Every keyword of the scanner, every builtin and every syntax entry has help with an example.
    func testEverythingHasAnExample() throws {
        let interpreter = Interpreter()
        for k in Keyword.allCases {
            XCTAssertTrue(interpreter.helpText(topic: k.rawValue).contains("\n  example: "), "keyword \(k.rawValue)")
        }
        for b in interpreter.registry.all {
            XCTAssertNotNil(HelpTopics.examples[b.name], "builtin \(b.name) has no example")
            XCTAssertTrue(interpreter.helpText(topic: b.name).contains("\n  example: "), b.name)
        }
        XCTAssertEqual(Set(HelpTopics.examples.keys).subtracting(interpreter.registry.names), [], "examples of builtins that do not exist")
    }

    /// The examples are real code: every one parses, and those that need no files or data run.
    func testExamplesRun() throws {
        let examples = HelpTopics.examples.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            + (HelpTopics.keywords + HelpTopics.syntax).map { ($0.title, $0.example) }
        for (name, code) in examples {
            if code.hasPrefix(":") { continue }   // notebook commands are not the language
            let program: Program
            do { program = try Parser.parse(code) } catch { XCTFail("\(name): \(code): \(error)"); continue }
            if HelpTopics.examplesNeedingFiles.contains(name) { continue }
            let interpreter = Interpreter()
            interpreter.output = { _ in }
            do { try interpreter.run(program) } catch let e as MaplError { XCTFail("\(name): \(e.render(source: code))") }
        }
    }
}

/// A builtin reading a parameter its signature does not declare (a typo in its own code) is a programming
/// error, not a silent `none`.
final class BuiltinParameterNameTests: XCTestCase {
    func testUndeclaredNameIsReported() throws {
        var reported: [String] = []
        let saved = Arguments.undeclaredParameter
        Arguments.undeclaredParameter = { reported.append($0) }
        defer { Arguments.undeclaredParameter = saved }
        let r = BuiltinRegistry()
        r.register("scale(x, factor=2)", category: "test", "x times factor") { a in
            .number(try a.double("x") * (a.isNone("factr") ? 1 : try a.double("factr")))
        }
        let s = Interpreter(registry: r)
        XCTAssertEqual(try s.run(try mapl("scale(3)")).map { s.printer.repr($0) }, "3")
        XCTAssertEqual(reported, ["scale() asked for 'factr', which its signature does not declare (parameters: x, factor)"])
    }

    /// Every `a.accessor("name")` inside a builtin's registration names a parameter of its signature. The
    /// sources are read as text: a registration runs only when called, and some paths are hard to reach.
    func testEveryAccessorNamesADeclaredParameter() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/MaplLang/Builtins")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "swift" }
        let registration = try NSRegularExpression(pattern: #"register\("((?:[^"\\]|\\.)*)""#)
        let accessor = try NSRegularExpression(pattern: #"\ba\.([a-zA-Z]+)\("([A-Za-z_][A-Za-z_0-9]*)""#)
        var checked = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let ns = text as NSString
            let starts = registration.matches(in: text, range: NSRange(location: 0, length: ns.length))
            for (k, match) in starts.enumerated() {
                // The registration runs to the next one, or to the end of the `registerX()` function holding
                // it (its closing brace is the first one indented by four spaces). Helpers after that function
                // take names from their callers and are checked at run time (`Arguments.undeclaredParameter`).
                var end = k + 1 < starts.count ? starts[k + 1].range.location : ns.length
                let close = ns.range(of: "\n    }", options: [], range: NSRange(location: match.range.location, length: end - match.range.location))
                if close.location != NSNotFound { end = close.location }
                // `\(name)(x, axis=none)` in a loop: the interpolated name drops out, the parameters stay.
                let signature = ns.substring(with: match.range(at: 1)).replacingOccurrences(of: #"\\\([^)]*\)"#, with: "f", options: .regularExpression)
                    .replacingOccurrences(of: #"\""#, with: "\"")
                let parsed = try SignatureParser.parse(signature, knownNames: ["cross_entropy", "adam"])
                let declared = Set(parsed.parameters.map(\.name))
                let body = NSRange(location: match.range.location, length: end - match.range.location)
                for use in accessor.matches(in: text, range: body) {
                    let name = ns.substring(with: use.range(at: 2))
                    XCTAssertTrue(declared.contains(name), "\(file.lastPathComponent): \(signature) reads a.\(ns.substring(with: use.range(at: 1)))(\"\(name)\")")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 200, "the scan found the accessors")
    }
}
