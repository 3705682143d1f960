import XCTest
import Foundation
@testable import MaplNN

/// The optimizers run their rules eight elements at a time with a padded tail; a 19-element parameter
/// exercises two full lanes and a tail of three. Two steps with fixed gradients against NumPy (float64):
///     p = sin(0.9·arange(19)), g₁ = cos(1.7·arange(19)), g₂ = 2·sin(0.4·arange(19))  (as float32)
final class PerfOptimizerTests: XCTestCase {
    func steps(count: Int = 19, _ make: ([Variable]) throws -> Optimizer) throws -> [Float] {
        let p0: [Float] = (0..<count).map { i -> Float in Float(Foundation.sin(Double(i) * 0.9)) }
        let p = Variable.parameter(Tensor(p0))
        let opt = try make([p])
        let g1: [Float] = (0..<count).map { i -> Float in Float(Foundation.cos(Double(i) * 1.7)) }
        let g2: [Float] = (0..<count).map { i -> Float in Float(Foundation.sin(Double(i) * 0.4) * 2) }
        for grad in [g1, g2] {
            p.grad = Tensor(grad)
            try opt.step()
        }
        return p.value.scalars
    }

    func testAdamOverLanesAndTail() throws {
        // NumPy: m = 0.9m + 0.1g; v = 0.999v + 0.001g²; p -= 0.01·(m/(1−0.9ᵗ))/(√(v/(1−0.999ᵗ)) + 1e-8)
        assertClose(try steps { try Adam($0, lr: 0.01) }, [-0.016700582578778267, 0.787078320980072, 0.981418788433075, 0.4087558388710022, -0.4620160758495331, -0.9724900722503662, -0.7662129998207092, -0.0031130260322242975, 0.7787913680076599, 0.9898786544799805, 0.4306378662586212, -0.4640199840068817, -0.9835636615753174, -0.7422131299972534, 0.029708391055464745, 0.7918604612350464, 0.9784034490585327, 0.40523403882980347, -0.4919089674949646], tol: 1e-5)
    }

    func testSGDMomentumOverLanesAndTail() throws {
        // NumPy: b = g on the first step, then 0.9b + g; p -= 0.1·b
        assertClose(try steps { try SGD($0, lr: 0.1, momentum: 0.9) }, [-0.1899999976158142, 0.7299237251281738, 1.0140680074691772, 0.1691562980413437, -0.8076207041740417, -1.045007348060608, -0.7721466422080994, -0.19953708350658417, 0.7081189155578613, 1.2328007221221924, 0.6157600283622742, -0.455094575881958, -0.785569965839386, -0.39641714096069336, 0.11507190018892288, 0.6823376417160034, 1.0328483581542969, 0.4519268274307251, -0.7613423466682434], tol: 1e-5)
    }

    /// A parameter of 65555 elements (≥ 2¹⁶) is updated in two halves on two threads, split at element
    /// 32776: the same formulas, checked at both ends of each half, the tail, and through the sum of all
    /// elements (a half left out or done twice would move it by hundreds). NumPy as above with n = 65555.
    func testLargeParametersSplitAcrossThreads() throws {
        let at = [0, 1, 32775, 32776, 65551, 65552, 65554]
        let adam = try steps(count: 65555) { try Adam($0, lr: 0.01) }
        assertClose(at.map { adam[$0] }, [-0.016700582346581144, 0.7870783346420354, -0.8650398113488516, -0.924168748819497, 0.07272751500364405, -0.7587515842758402, -0.4817122681093894], tol: 1e-5)
        XCTAssertEqual(Double(adam.reduce(0, +)), -0.16023025670063462, accuracy: 5e-3)
        let sgd = try steps(count: 65555) { try SGD($0, lr: 0.1, momentum: 0.9) }
        assertClose(at.map { sgd[$0] }, [-0.19, 0.7299237120151519, -0.8175306200981141, -1.0023068553209304, 0.001390292942523949, -1.101313118338585, -0.49012263000011447], tol: 1e-5)
        XCTAssertEqual(Double(sgd.reduce(0, +)), -0.8389848082692479, accuracy: 5e-3)
    }
}
