import Foundation
import XCTest
@testable import MaplLang
import MaplNN

/// The programs of issue 12 that gave silently wrong numbers, as a user types them, against NumPy.
final class NumericsProgramTests: XCTestCase {
    /// Item 1: reductions over 10⁷ elements and 5000 × 5000. Before: 16777216, 0.6711, 100958.34, 0.6711,
    /// 0.1452, 2.2820. NumPy: `np.sum(np.ones(20000000, np.float32))` = 2e7, `np.mean(np.ones((5000, 5000),
    /// np.float32))` = 1.0, `np.sum(np.full(1000000, 0.1, np.float32).astype(np.float64))` = 100000.0015
    /// (100000.0 in float32; NumPy's float32 sum says 100000.01), the mse 1.0, `np.var(np.ones(20000000,
    /// np.float32) * 3)` = 0.0, and uniform logits' cross-entropy `np.float32(np.log(10))` = 2.3025851.
    func testReductionsAtTheSizesUsersReach() throws {
        let s = Session()
        XCTAssertEqual(try s.echo("sum(ones(20000000))"), "20000000")
        XCTAssertEqual(try s.echo("mean(ones(5000, 5000))"), "1")
        XCTAssertEqual(try s.echo("sum(full([1000000], 0.1))"), "100000")
        XCTAssertEqual(try s.echo("mse(zeros(5000, 5000), ones(5000, 5000))"), "1")
        XCTAssertEqual(try s.echo("var(ones(20000000) * 3)"), "0")
        try s.run("ce = item(cross_entropy(zeros(2000000, 10), arange(2000000) % 10))")
        XCTAssertEqual(s.number("ce").map(Float.init), 2.3025851)
    }

    /// Item 1: the whole MNIST training set's pixel mean and std (before: 0.1311 and 0.2885). NumPy on the
    /// same 47,040,000 float32 pixels (`b.astype(np.float32) * np.float32(1/255)`, as mapl converts them),
    /// summed in float64 and rounded to float32: 0.13066049 and 0.30810782 (NumPy's own float32 `mean`/`std`
    /// say 0.13066047 and 0.3081078, one unit in the last place off).
    func testMNISTMeanAndStd() throws {
        guard ProcessInfo.processInfo.environment["MAPL_DATA"] != nil else { throw XCTSkip("MNIST files not available (set MAPL_DATA)") }
        let s = Session()
        try s.run("d = mnist(\"train\")\nm = item(mean(d.x))\nsd = item(std(d.x))")
        XCTAssertEqual(s.number("m").map(Float.init), 0.13066049)
        XCTAssertEqual(s.number("sd").map(Float.init), 0.30810782)
    }
}
