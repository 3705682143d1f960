import XCTest
import Foundation
@testable import MaplNN

/// The optimizers run their rules in vector lanes (SGD in Swift's SIMD8 with a padded tail, Adam and RMSprop
/// in C with four or eight lanes); a 19-element parameter exercises full lanes and a tail of three. Two steps with fixed gradients against NumPy (float64):
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

    func testRMSpropOverLanesAndTail() throws {
        // NumPy: s = 0.99s + 0.01g²; p -= 0.01·g/(√s + 1e-8)
        assertClose(try steps { try RMSprop($0, lr: 0.01) }, [-0.09999999000000097, 0.7846546408704063, 0.9907892315660687, 0.22935502256520118, -0.6342970356907662, -0.9725107325276257, -0.7612652037545927, -0.14824165449720456, 0.7160183242682495, 1.1394795795960693, 0.6105216140164474, -0.46870393063977145, -0.9809409072022369, -0.5747251853981872, 0.031939710700809726, 0.7553458339922707, 1.02152307326313, 0.4192665672153873, -0.6643055668087211], tol: 1e-5)
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
        // NumPy: RMSprop as above; then with d = g + 0.1p, alpha 0.9 and b = 0.5b + d/(√s + eps), p -= 0.01·b
        let rms = try steps(count: 65555) { try RMSprop($0, lr: 0.01) }
        assertClose(at.map { rms[$0] }, [-0.09999999000000097, 0.7846546408704063, -0.7069813233222934, -0.9431641233037356, 0.07115757383362767, -0.9262618287299891, -0.47698584267258265], tol: 1e-5)
        XCTAssertEqual(Double(rms.reduce(0, +)), -0.4341530715605879, accuracy: 5e-3)
        let rmsMomentum = try steps(count: 65555) { try RMSprop($0, lr: 0.01, alpha: 0.9, momentum: 0.5, weightDecay: 0.1) }
        assertClose(at.map { rmsMomentum[$0] }, [-0.04732875473963578, 0.7991872228780296, -0.8131137030647699, -0.9371996740372122, 0.08495223963592413, -0.8145198781362731, -0.46870019956018444], tol: 1e-5)
        XCTAssertEqual(Double(rmsMomentum.reduce(0, +)), -2.2783707077271353, accuracy: 5e-3)
    }
}
