import XCTest
@testable import MaplEngine

/// The malloc thresholds that keep training's buffers in the heap (HeapPolicy.swift), set when the program
/// configures the engine.
final class HeapPolicyTests: XCTestCase {
    func testThresholdsAreSetUnlessTheUserTunesMalloc() throws {
        let env = ProcessInfo.processInfo.environment
        if env["GLIBC_TUNABLES"]?.contains("malloc") == true || env.keys.contains(where: { $0.hasPrefix("MALLOC_") }) {
            throw XCTSkip("malloc is tuned by the environment; the policy leaves it alone")
        }
        XCTAssertTrue(HeapPolicy.apply(), "mallopt was not found or refused the thresholds")
        // Large buffers still work and hold what was written after being recycled through the heap.
        for size in [1 << 18, 3 << 20] {
            let a = try Tensor.full([size], 2)
            XCTAssertEqual((a * 1.5).scalars.reduce(0, +), Float(3 * size))
        }
    }
}
