import XCTest
import Foundation
@testable import MaplEngine

/// Large products are computed in stripes so a stop request ends them quickly; the stripes change nothing.
final class MatmulInterruptTests: XCTestCase {
    override class func setUp() { Engine.configure(.recommended) }

    /// A product just above the stripe size, against a float64 triple loop on sampled entries and against
    /// the same product computed in one piece.
    func testStripedProductsMatchTheDefinition() throws {
        let m = 1400, k = 1100, n = 1400                   // 2.16e9 multiply-adds: more than one stripe
        XCTAssertGreaterThan(Double(m) * Double(n) * Double(k), Double(Tensor.stripeWork))
        let a = try Tensor(shape: [m, k], scalars: (0..<(m * k)).map { Float(Foundation.sin(0.001 * Double($0))) })
        let b = try Tensor(shape: [k, n], scalars: (0..<(k * n)).map { Float(Foundation.cos(0.002 * Double($0))) })
        let striped = try Tensor.matmul(a, b)
        var whole = [Float](repeating: .nan, count: m * n)
        whole.withUnsafeMutableBufferPointer { out in
            _ = Tensor.gemm(a.scalars, 0, b.scalars, 0, out, 0, m: m, n: n, k: k, transposeA: false, transposeB: false)
        }
        XCTAssertEqual(striped.scalars, whole, "striping must not change a single bit")
        for (i, j) in [(0, 0), (17, 1399), (700, 3), (1399, 1399), (1234, 567)] {
            var exact = 0.0
            for p in 0..<k { exact += Double(a.scalars[i * k + p]) * Double(b.scalars[p * n + j]) }
            XCTAssertEqual(Double(striped.scalars[i * n + j]), exact, accuracy: 1e-3 * Swift.max(1, abs(exact)))
        }
    }

    /// A stop request during an 8000³ product (≈ 11 s of work here) ends it within a stripe.
    func testAStopRequestEndsABigProductQuickly() throws {
        let size = 8000
        let a = Tensor(repeating: 0.5, shape: [size, size])
        let flag = StopFlag()
        flag.installOnCurrentThread()
        defer { StopFlag.uninstallFromCurrentThread() }
        let requested = LockedBox<Double>(0)
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            requested.value = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
            flag.request()
        }
        stopper.start()
        XCTAssertThrowsError(try Tensor.matmul(a, a)) { XCTAssertTrue($0 is Interrupted, "\($0)") }
        let latency = Double(DispatchTime.now().uptimeNanoseconds) / 1e9 - requested.value
        XCTAssertGreaterThan(requested.value, 0, "the product ended before the stop was requested")
        XCTAssertLessThan(latency, 2, "a stripe is about 10 ms of work; even a loaded machine stops within seconds")
    }
}
