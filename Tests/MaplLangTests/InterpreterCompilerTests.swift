import XCTest
import Foundation
@testable import MaplLang
import MaplNN

/// Scoping and evaluation rules the compile step (closures over symbols) must keep exactly as the language
/// defines them: blocks share their scope, mapping bodies get a fresh one inside the defining scope, names
/// resolve when they run (not when they are compiled). Expected values are worked out by hand from those rules.
final class InterpreterCompilerTests: XCTestCase {
    func testClosuresCaptureTheLoopScopeNotTheIterationsValue() throws {
        let s = Session()
        try s.run("""
        fs = []
        for i in 1..3 { fs = fs + [(x -> x + i)] }
        a = fs[0](10)
        fn make() {
          gs = []
          for j in 1..2 { gs = gs + [(x -> x + j)] }
          j = 7
          return gs
        }
        b = make()[0](1)
        """)
        // A for loop shares its scope: every lambda sees i's last value, 3 → 10 + 3.
        XCTAssertEqual(s.number("a"), 13)
        // Inside make, j was rebound to 7 after the loop; the lambda reads it when called → 1 + 7.
        XCTAssertEqual(s.number("b"), 8)
        XCTAssertNil(s.interpreter.lookup("j"))
    }

    func testNestedFunctionsSeeTheirDefiningScope() throws {
        let s = Session()
        try s.run("""
        x = 1
        fn outer() {
          x = 10
          fn inner() { return x }
          return inner()
        }
        r = outer()
        if true { if true { x = 2 } }
        """)
        XCTAssertEqual(s.number("r"), 10)   // inner reads outer's local x, not the global
        XCTAssertEqual(s.number("x"), 2)    // nested if blocks write the enclosing (global) scope
    }

    func testOuterNamesAreReadUntilALocalIsBound() throws {
        let s = Session()
        try s.run("""
        y = 1
        fn g() {
          a = y
          y = 2
          return a + y
        }
        r = g()
        c = 5
        fn bump() {
          c += 1
          return c
        }
        r1 = bump()
        r2 = bump()
        """)
        XCTAssertEqual(s.number("r"), 3)    // a reads the global 1, then the local y is 2
        XCTAssertEqual(s.number("y"), 1)
        // `c += 1` reads the global 5 and binds a local 6; each call starts afresh, the global stays 5.
        XCTAssertEqual(s.number("r1"), 6)
        XCTAssertEqual(s.number("r2"), 6)
        XCTAssertEqual(s.number("c"), 5)
    }

    func testNamesResolveWhenTheyRunNotWhenCompiled() throws {
        let s = Session()
        try s.run("""
        fn h() { return later }
        later = 4
        r = h()
        fn k(v) { return abs(v) }
        before = k(-3)
        abs = (v -> 0)
        after = k(-3)
        for i in 1..3 { fn f() { return i * 10 } }
        last = f()
        """)
        XCTAssertEqual(s.number("r"), 4)
        XCTAssertEqual(s.number("before"), 3)
        XCTAssertEqual(s.number("after"), 0)   // the user's global now shadows the builtin
        XCTAssertEqual(s.number("last"), 30)
        // A later run sees names bound by an earlier one, and a name unbound at compile time errors only when read.
        XCTAssertEqual(try s.echo("later + 1"), "5")
        XCTAssertEqual(s.error("if false { qqqqq } else { q = 1 }\nz = qqqqq")?.message, "unknown name 'qqqqq'")
        XCTAssertEqual(s.number("q"), 1)
    }

    func testDefaultsSeeEarlierParametersAndLongBodiesRun() throws {
        let s = Session()
        try s.run("""
        fn f(a, b=a*2) { a + b }
        d = f(3)
        t = 0
        for i in 1..5 {
          t += 1
          t += 1
          t += 1
          t += 1
          t += 1
          t += 1
          t += 1
          t += 1
          if i == 3 { break }
          t += 100
        }
        """)
        XCTAssertEqual(s.number("d"), 9)          // 3 + 3·2
        // Ten statements per pass (the long-block path): passes 1 and 2 add 108 each, pass 3 adds 8 and breaks.
        XCTAssertEqual(s.number("t"), 224)
        XCTAssertEqual(s.number("i"), 3)
    }

    func testNumberFastPathsFollowTheGeneralRules() throws {
        let s = Session()
        try s.run("""
        a = 10
        a -= 4
        a *= 3
        a /= 4
        e = 3 == 3.0
        n = 2 != 2
        m = -7 % 3
        p = 2 ^ 10
        z = 1 / 0
        s = 0
        s += [1, 2]
        """)
        XCTAssertEqual(s.number("a"), 4.5)        // (10 − 4)·3 / 4
        XCTAssertEqual(try s.echo("e"), "true")
        XCTAssertEqual(try s.echo("n"), "false")
        XCTAssertEqual(s.number("m"), 2)          // floor modulo
        XCTAssertEqual(s.number("p"), 1024)
        XCTAssertEqual(s.number("z"), .infinity)
        assertScalars(s.tensor("s"), [1, 2], shape: [2])   // a number plus a tensor leaves the fast path
    }

    func testManyGlobalsKeepTheirOrderAndValues() throws {
        // Past 24 names a scope switches to its symbol-indexed table.
        let s = Session()
        try s.run((0..<30).map { "v\($0) = \($0)" }.joined(separator: "\n"))
        try s.run("total = " + (0..<30).map { "v\($0)" }.joined(separator: " + ") + "\nv7 = 70")
        XCTAssertEqual(s.number("total"), 435)    // 0 + 1 + … + 29
        XCTAssertEqual(s.number("v7"), 70)
        XCTAssertEqual(s.interpreter.userVariables.map(\.name), (0..<30).map { "v\($0)" } + ["total"])
    }

    func testErrorsInsideCompiledLoopsKeepTheirPosition() throws {
        let s = Session()
        let e = s.error("s = 0\nfor i in 1..3 {\n  s += qqqqq\n}")
        XCTAssertEqual(e?.message, "unknown name 'qqqqq'")
        XCTAssertEqual(e?.range.start.line, 3)
        XCTAssertEqual(e?.range.start.column, 8)
        XCTAssertEqual(s.number("s"), 0)
        XCTAssertEqual(s.number("i"), 1)          // the loop variable was bound before the failing body
        let f = s.error("fn g(x) { return x + \"a\" }\nfor i in 1..2 { g(i) }")
        XCTAssertEqual(f?.message, "cannot add a number and a string; str(x) turns a value into text: \"loss \" + str(x)")
        XCTAssertEqual(f?.range.start.line, 1)
        XCTAssertEqual(f?.range.start.column, 18)
    }

    func testInterruptStopsACountedLoop() throws {
        let s = Session()
        let flag = s.interpreter.interrupt
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            flag.request()
        }
        stopper.start()
        let e = s.error("s = 0\nfor i in 1..1000000000000 { s += i }")
        XCTAssertEqual(e?.kind, .interrupted)
        XCTAssertGreaterThan(s.number("s") ?? 0, 0)
        XCTAssertEqual(try s.echo("1 + 1"), "2")
    }

    /// Calls giving every argument by position bind without the general matcher; defaults, `given` and the
    /// position an error points at must come out as through the matcher.
    func testPositionalCallsBindLikeTheGeneralMatcher() throws {
        let s = Session()
        try s.run("""
        a = leaky_relu(-10)
        b = leaky_relu(-10, 0.5)
        fn f(x, y) { x - y }
        c = f(7, 2)
        d = f(y=7, x=2)
        """)
        assertScalars(s.tensor("a"), [-0.1], shape: [])   // the default slope 0.01 · −10
        assertScalars(s.tensor("b"), [-5], shape: [])     // 0.5 · −10
        XCTAssertEqual(s.number("c"), 5)
        XCTAssertEqual(s.number("d"), -5)
        let e = s.error("x = sum([1, 2], \"rows\")")
        XCTAssertEqual(e?.message, "sum(): 'axis' must be a number, got a string")
        XCTAssertEqual(e?.range.start.column, 17)          // at the second argument
        XCTAssertEqual(s.error("f(1)")?.message, "f() takes 2 arguments, got 1")
        XCTAssertEqual(s.error("f(1, 2, 3)")?.message, "f() takes 2 arguments, got 3")
        XCTAssertEqual(s.error("leaky_relu()")?.message, "leaky_relu() takes 1 to 2 arguments, got 0")
    }
}
