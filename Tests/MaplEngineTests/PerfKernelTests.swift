import XCTest
@testable import MaplEngine

/// The kernels and fused ops added for training speed: the batched im2col layout, the fused `conv2d`, the
/// unpadded max-pool path and the one-pass elementwise backward.
///
/// Images: `x = np.sin(np.arange(48) * 0.7).astype(np.float32).reshape(2, 2, 3, 4)`;
/// filters: `w = (np.cos(np.arange(54) * 0.9) * 0.5).astype(np.float32).reshape(3, 2, 3, 3)`, `b = [0.1, -0.2, 0.3]`.
final class PerfKernelTests: XCTestCase {
    let x = Tensor(unchecked: [2, 2, 3, 4], (0..<48).map { Float(Foundation.sin(Double($0) * 0.7)) })
    let w = Tensor(unchecked: [3, 2, 3, 3], (0..<54).map { Float(Foundation.cos(Double($0) * 0.9) * 0.5) })
    let b = Tensor(unchecked: [3], [0.1, -0.2, 0.3])

    /// NumPy: for each (c, ki, kj) row, the padded images' strided windows of both images concatenated:
    /// `np.concatenate([xp[n, c, ki:ki+s*oh:s, kj:kj+s*ow:s].ravel() for n in range(2)])`, k 3, s 2, p 1.
    func testIm2colBatchedAgainstNumPy() throws {
        assertClose(try x.im2colBatched(Window2D(kernel: 3, stride: 2, padding: 1)), [18, 8], [0.0, 0.0, 0.0, -0.35078322887420654, 0.0, 0.0, 0.0, 0.9927663803100586, 0.0, 0.0, 0.33498814702033997, -0.8715757727622986, 0.0, 0.0, 0.6819636225700378, 0.8366556167602539, 0.0, 0.0, -0.35078322887420654, -0.9824526309967041, 0.0, 0.0, 0.9927663803100586, 0.2870526611804962, 0.0, 0.6442176699638367, 0.0, 0.01681390032172203, 0.0, -0.9756259918212891, 0.0, -0.8951873779296875, 0.0, 0.9854497313499451, -0.6312666535377502, 0.6569865942001343, -0.8875670433044434, -0.6048328280448914, -0.3975556790828705, -0.9717984199523926, 0.6442176699638367, 0.8632093667984009, 0.01681390032172203, 0.9881682395935059, -0.9756259918212891, 0.05042268708348274, -0.8951873779296875, -0.5913575291633606, 0.0, -0.35078322887420654, 0.0, 0.0, 0.0, 0.9927663803100586, 0.0, 0.0, 0.33498814702033997, -0.8715757727622986, 0.0, 0.0, 0.6819636225700378, 0.8366556167602539, 0.0, 0.0, -0.35078322887420654, -0.9824526309967041, 0.0, 0.0, 0.9927663803100586, 0.2870526611804962, 0.0, 0.0, 0.0, 0.0, 0.0, -0.6181371212005615, 0.0, 0.0, 0.0, -0.4129275381565094, 0.0, 0.0, -0.979177713394165, 0.033623047173023224, 0.0, 0.0, 0.2709057927131653, -0.9025546312332153, 0.0, 0.0, -0.6181371212005615, 0.6695697903633118, 0.0, 0.0, -0.4129275381565094, -0.9676961302757263, 0.0, 0.3190983533859253, 0.0, 0.8457468152046204, 0.0, 0.6941646933555603, 0.0, 0.0839744582772255, 0.854598879814148, -0.36647912859916687, 0.9906073808670044, 0.30311834812164307, 0.06720807403326035, 0.9946447610855103, -0.5777150392532349, 0.7061694860458374, 0.3190983533859253, -0.8796957731246948, 0.8457468152046204, -0.3820714056491852, 0.6941646933555603, 0.8273279070854187, 0.0839744582772255, 0.9962419271469116, 0.0, -0.6181371212005615, 0.0, 0.0, 0.0, -0.4129275381565094, 0.0, 0.0, -0.979177713394165, 0.033623047173023224, 0.0, 0.0, 0.2709057927131653, -0.9025546312332153, 0.0, 0.0, -0.6181371212005615, 0.6695697903633118, 0.0, 0.0, -0.4129275381565094, -0.9676961302757263, 0.0, 0.0])
    }

    /// The "same"-width path (stride 1, k = 2p + 1: one block copy per row, wrapped edges zeroed), as above
    /// with k 3, s 1, p 1 — rows 18, columns 2·3·4.
    func testIm2colBatchedSameWidthAgainstNumPy() throws {
        assertClose(try x.im2colBatched(Window2D(kernel: 3, stride: 1, padding: 1)), [18, 24], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6442176699638367, 0.9854497313499451, 0.0, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, 0.0, 0.0, 0.0, 0.0, 0.0, -0.8875670433044434, -0.9756259918212891, -0.6048328280448914, 0.0, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6442176699638367, 0.9854497313499451, 0.8632093667984009, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, 0.0, 0.0, 0.0, 0.0, -0.8875670433044434, -0.9756259918212891, -0.6048328280448914, 0.05042268708348274, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, 0.0, 0.0, 0.0, 0.0, 0.6442176699638367, 0.9854497313499451, 0.8632093667984009, 0.0, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, 0.0, 0.0, 0.0, 0.0, 0.0, -0.9756259918212891, -0.6048328280448914, 0.05042268708348274, 0.0, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, 0.0, 0.0, 0.0, 0.6442176699638367, 0.9854497313499451, 0.0, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, 0.0, -0.6312666535377502, 0.01681390032172203, 0.6569865942001343, 0.0, -0.8875670433044434, -0.9756259918212891, -0.6048328280448914, 0.0, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.0, -0.3975556790828705, -0.8951873779296875, -0.9717984199523926, 0.0, 0.6442176699638367, 0.9854497313499451, 0.8632093667984009, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, -0.6312666535377502, 0.01681390032172203, 0.6569865942001343, 0.9881682395935059, -0.8875670433044434, -0.9756259918212891, -0.6048328280448914, 0.05042268708348274, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, -0.3975556790828705, -0.8951873779296875, -0.9717984199523926, -0.5913575291633606, 0.6442176699638367, 0.9854497313499451, 0.8632093667984009, 0.0, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, 0.0, 0.01681390032172203, 0.6569865942001343, 0.9881682395935059, 0.0, -0.9756259918212891, -0.6048328280448914, 0.05042268708348274, 0.0, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, 0.0, -0.8951873779296875, -0.9717984199523926, -0.5913575291633606, 0.0, 0.0, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, 0.0, -0.6312666535377502, 0.01681390032172203, 0.6569865942001343, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.0, -0.3975556790828705, -0.8951873779296875, -0.9717984199523926, 0.0, 0.0, 0.0, 0.0, 0.33498814702033997, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, -0.6312666535377502, 0.01681390032172203, 0.6569865942001343, 0.9881682395935059, 0.0, 0.0, 0.0, 0.0, 0.6819636225700378, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, -0.3975556790828705, -0.8951873779296875, -0.9717984199523926, -0.5913575291633606, 0.0, 0.0, 0.0, 0.0, -0.35078322887420654, -0.8715757727622986, -0.9824526309967041, 0.0, 0.01681390032172203, 0.6569865942001343, 0.9881682395935059, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9927663803100586, 0.8366556167602539, 0.2870526611804962, 0.0, -0.8951873779296875, -0.9717984199523926, -0.5913575291633606, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.854598879814148, 0.3190983533859253, -0.36647912859916687, 0.0, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.0, 0.0, 0.0, 0.0, 0.0, 0.06720807403326035, 0.6941646933555603, 0.9946447610855103, 0.0, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, 0.0, 0.0, 0.0, 0.0, 0.854598879814148, 0.3190983533859253, -0.36647912859916687, -0.8796957731246948, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.0, 0.0, 0.0, 0.0, 0.06720807403326035, 0.6941646933555603, 0.9946447610855103, 0.8273279070854187, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, 0.0, 0.0, 0.0, 0.0, 0.3190983533859253, -0.36647912859916687, -0.8796957731246948, 0.0, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6941646933555603, 0.9946447610855103, 0.8273279070854187, 0.0, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, 0.0, 0.0, 0.854598879814148, 0.3190983533859253, -0.36647912859916687, 0.0, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.0, 0.9906073808670044, 0.8457468152046204, 0.30311834812164307, 0.0, 0.06720807403326035, 0.6941646933555603, 0.9946447610855103, 0.0, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, 0.0, -0.5777150392532349, 0.0839744582772255, 0.7061694860458374, 0.854598879814148, 0.3190983533859253, -0.36647912859916687, -0.8796957731246948, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.9906073808670044, 0.8457468152046204, 0.30311834812164307, -0.3820714056491852, 0.06720807403326035, 0.6941646933555603, 0.9946447610855103, 0.8273279070854187, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, -0.5777150392532349, 0.0839744582772255, 0.7061694860458374, 0.9962419271469116, 0.3190983533859253, -0.36647912859916687, -0.8796957731246948, 0.0, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.0, 0.8457468152046204, 0.30311834812164307, -0.3820714056491852, 0.0, 0.6941646933555603, 0.9946447610855103, 0.8273279070854187, 0.0, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, 0.0, 0.0839744582772255, 0.7061694860458374, 0.9962419271469116, 0.0, 0.0, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.0, 0.9906073808670044, 0.8457468152046204, 0.30311834812164307, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, 0.0, -0.5777150392532349, 0.0839744582772255, 0.7061694860458374, 0.0, 0.0, 0.0, 0.0, -0.979177713394165, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.9906073808670044, 0.8457468152046204, 0.30311834812164307, -0.3820714056491852, 0.0, 0.0, 0.0, 0.0, 0.2709057927131653, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, -0.5777150392532349, 0.0839744582772255, 0.7061694860458374, 0.9962419271469116, 0.0, 0.0, 0.0, 0.0, -0.6181371212005615, 0.033623047173023224, 0.6695697903633118, 0.0, 0.8457468152046204, 0.30311834812164307, -0.3820714056491852, 0.0, 0.0, 0.0, 0.0, 0.0, -0.4129275381565094, -0.9025546312332153, -0.9676961302757263, 0.0, 0.0839744582772255, 0.7061694860458374, 0.9962419271469116, 0.0, 0.0, 0.0, 0.0, 0.0])
    }

    /// col2imBatched is the adjoint of im2colBatched: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩, including windows
    /// wider than the padded edge (k 3, p 2) and strides that skip columns.
    func testCol2imBatchedIsTheAdjoint() throws {
        Random.seed(12)
        for (k, s, p) in [(2, 1, 0), (3, 2, 1), (3, 1, 2), (2, 2, 0), (3, 3, 2), (1, 1, 0), (3, 1, 1), (5, 1, 2), (7, 1, 3)] {
            let win = Window2D(kernel: k, stride: s, padding: p)
            let img = try Tensor.randn([3, 2, 5, 4])
            let cols = try img.im2colBatched(win)
            let c = try Tensor.randn(cols.shape)
            let back = try Tensor.col2imBatched(c, imageShape: img.shape, win)
            XCTAssertEqual(back.shape, img.shape)
            let lhs = zip(cols.scalars, c.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(img.scalars, back.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * Swift.max(1, Swift.abs(lhs)), "k\(k) s\(s) p\(p)")
        }
        assertThrows(["col2im", "[2, 3]"]) { try Tensor.col2imBatched(Tensor(repeating: 0, shape: [2, 3]), imageShape: [1, 2, 3, 4], Window2D(kernel: 2, stride: 1)) }
    }

    /// NumPy (float64 loops over the padded input, then float32):
    /// `y[:, :, i, j] = einsum('nckl,ockl->no', xp[:, :, i*s:i*s+k, j*s:j*s+k], w) + b`.
    func testConv2dForwardAgainstNumPy() throws {
        let y = try Variable.conv2d(Variable(x), Variable(w), Variable(b), Window2D(kernel: 3, stride: 2, padding: 1))
        assertClose(y.value, [2, 3, 2, 2], [0.9399552345275879, -2.654747724533081, 1.989531397819519, -1.053693413734436, -1.5860592126846313, 1.8051484823226929, -2.022083282470703, -0.3298426866531372, 1.9033137559890747, -0.47981759905815125, 1.6223366260528564, 1.6825729608535767, 1.7666789293289185, 2.7341370582580566, 0.38685593008995056, 3.336554765701294, -1.1455758810043335, -3.4009015560150146, 0.3256324231624603, -2.9005420207977295, 0.3001301884651184, 3.3082361221313477, -0.9134118556976318, 1.8238122463226318], tol: 1e-5)
        let y0 = try Variable.conv2d(Variable(x), Variable(w), Variable(b), Window2D(kernel: 3, stride: 1))
        assertClose(y0.value, [2, 3, 1, 2], [0.1648786962032318, 3.229907751083374, 1.6131668090820312, -1.6414635181427002, -2.961029529571533, -0.2889751195907593, -4.173733234405518, -4.550656318664551, 2.8613171577453613, 4.481082916259766, -0.822588324546814, -3.300899028778076], tol: 1e-5)
        // Without a bias: the same values minus b.
        let nb = try Variable.conv2d(Variable(x), Variable(w), nil, Window2D(kernel: 3, stride: 1))
        assertClose(nb.value, [2, 3, 1, 2], [0.0648786962032318, 3.129907751083374, 1.8131668090820312, -1.4414635181427002, -3.261029529571533, -0.5889751195907593, -4.273733234405518, -4.650656318664551, 3.0613171577453613, 4.681082916259766, -1.122588324546814, -3.600899028778076], tol: 1e-5)
    }

    func testConv2dGradients() {
        for (s, p) in [(1, 1), (2, 1), (1, 0)] {
            let win = Window2D(kernel: 3, stride: s, padding: p)
            let (xs, ws, bs) = (x, w, b)
            assertGradient("conv2d ∂x s\(s)p\(p)", at: xs) { try weightedSum(Variable.conv2d($0, Variable(ws), Variable(bs), win)) }
            assertGradient("conv2d ∂w s\(s)p\(p)", at: ws) { try weightedSum(Variable.conv2d(Variable(xs), $0, Variable(bs), win)) }
            assertGradient("conv2d ∂b s\(s)p\(p)", at: bs) { try weightedSum(Variable.conv2d(Variable(xs), Variable(ws), $0, win)) }
        }
    }

    func testConv2dShapeErrors() {
        let win = Window2D(kernel: 3, stride: 1)
        assertThrows(["conv2d", "[2, 2, 3, 4]", "[3, 1, 3, 3]"]) { try Variable.conv2d(Variable(x), Variable(Tensor(repeating: 0, shape: [3, 1, 3, 3])), nil, win) }
        assertThrows(["bias", "[3]", "[2]"]) { try Variable.conv2d(Variable(x), Variable(w), Variable(Tensor([1, 2])), win) }
        assertThrows(["window", "5×5"]) { try Variable.conv2d(Variable(x), Variable(Tensor(repeating: 0, shape: [3, 2, 5, 5])), nil, Window2D(kernel: 5, stride: 1)) }
    }

    /// 2×2/2 pooling (its own row kernel) by hand: windows read in the order top-left, top-right,
    /// bottom-left, bottom-right; ties keep the first, a NaN wins. Input rows (width 4, height 2, two planes):
    /// plane 0: [4, 1, 2, 2] / [4, 9, NaN, 0]; plane 1: [-1, -2, 7, 7] / [-3, -1, 7, 8].
    func testMaxPool2x2() throws {
        let img = Tensor(unchecked: [1, 2, 2, 4], [4, 1, 2, 2, 4, 9, .nan, 0, -1, -2, 7, 7, -3, -1, 7, 8])
        let (y, arg) = try img.maxPool2d(Window2D(kernel: 2, stride: 2))
        XCTAssertEqual(y.shape, [1, 2, 1, 2])
        XCTAssertEqual(y.scalars[0], 9); XCTAssertTrue(y.scalars[1].isNaN)
        XCTAssertEqual(Array(y.scalars[2...]), [-1, 8])
        XCTAssertEqual(arg, [5, 6, 8, 15])
        // Five windows in a row: four go through the vector path, then the last four again (overlapping).
        // Top [0, 1, 5, 2, 3, 3, -1, -2, 9, 8], bottom [2, 0, 4, 7, NaN, 1, -3, -1, 8, 9]:
        // maxima 2 (idx 10), 7 (13), NaN (14), -1 (6, the tie keeps the first), 9 (8).
        let wide = Tensor(unchecked: [1, 1, 2, 10], [0, 1, 5, 2, 3, 3, -1, -2, 9, 8, 2, 0, 4, 7, .nan, 1, -3, -1, 8, 9])
        let (yw, argw) = try wide.maxPool2d(Window2D(kernel: 2, stride: 2))
        XCTAssertEqual(yw.scalars[0], 2); XCTAssertEqual(yw.scalars[1], 7); XCTAssertTrue(yw.scalars[2].isNaN)
        XCTAssertEqual(yw.scalars[3], -1); XCTAssertEqual(yw.scalars[4], 9)
        XCTAssertEqual(argw, [10, 13, 14, 6, 8])
        // Odd sizes drop the last row and column (outputSize floors): [1, 1, 3, 5] → [1, 1, 1, 2].
        let odd = Tensor(unchecked: [1, 1, 3, 5], (0..<15).map { Float($0 % 4) })  // rows 0 1 2 3 0 / 1 2 3 0 1 / …
        let (yo, argo) = try odd.maxPool2d(Window2D(kernel: 2, stride: 2))
        XCTAssertEqual(yo.scalars, [2, 3])
        XCTAssertEqual(argo, [6, 3])
    }

    /// By hand, from the rule "first element, then any larger one or a NaN": window 1 reads 1, 3, NaN, 2 and
    /// settles on the NaN (flat index 4); window 2 reads 3, 0, 5, 5 and keeps the first 5 (index 6).
    func testUnpaddedMaxPoolNaNAndTies() throws {
        let img = Tensor(unchecked: [1, 1, 2, 4], [1, 3, 3, 0, .nan, 2, 5, 5])
        let (y, arg) = try img.maxPool2d(Window2D(kernel: 2, stride: 2))
        XCTAssertEqual(y.shape, [1, 1, 1, 2])
        XCTAssertTrue(y.scalars[0].isNaN)
        XCTAssertEqual(y.scalars[1], 5)
        XCTAssertEqual(arg, [4, 6])
    }

    /// relu's backward by hand: the upstream gradient where x > 0, else 0 (a NaN upstream stays NaN·0 = NaN,
    /// as the two-pass product gave).
    func testChainIsOnePassProduct() throws {
        let g = Tensor([1, 2, 3, .nan]), xs = Tensor([-1, 0, 2, -3])
        let d = try Tensor.chain(g, xs, xs.map { Swift.max($0, 0) }) { x, _ in x > 0 ? 1 : 0 }
        XCTAssertEqual(Array(d.scalars.prefix(3)), [0, 0, 3])
        XCTAssertTrue(d.scalars[3].isNaN)
    }

    /// NumPy: `lp = x − max − log Σ exp(x − max)`; loss `−lp[arange(3), y].mean()`; gradient `(exp(lp) − onehot(y)) / 3`.
    func testSoftmaxCrossEntropyAgainstNumPy() throws {
        let logits = T([3, 4], [2.0, -1.0, 0.5, 3.0, 0.1, 0.2, -0.3, 0.0, -5.0, 4.0, 1.0, 1.5])
        let labels = Tensor([3, 0, 2])
        let x = Variable.parameter(logits)
        let loss = try Variable.softmaxCrossEntropy(x, labels)
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(loss.op?.name, "cross_entropy")
        assertClose(loss.value, [], [1.6036919355392456], tol: 1e-6)
        try loss.backward()
        assertClose(try XCTUnwrap(x.grad), [3, 4], [0.08351708203554153, 0.004158069845288992, 0.018635183572769165, -0.10631033033132553, -0.24276171624660492, 0.10009712725877762, 0.06071197986602783, 0.08195258677005768, 3.633991946117021e-05, 0.2944652736186981, -0.318672776222229, 0.02417118102312088], tol: 1e-5)
        assertGradient("softmax cross-entropy", at: logits) { try Variable.softmaxCrossEntropy($0, labels) }
        // Scaled upstream (the loss used inside a larger expression).
        assertGradient("3·softmax cross-entropy", at: logits) { try Variable.softmaxCrossEntropy($0, labels) * Variable(Tensor(3)) }
    }

    /// The fused node gives the unfused chain's value (same arithmetic in the same order) and gradient.
    func testSoftmaxCrossEntropyMatchesTheChain() throws {
        Random.seed(5)
        let logits = try Tensor.randn([64, 10]) * 3
        let labels = Tensor((0..<64).map { Float(($0 * 7) % 10) })
        let a = Variable.parameter(logits), b = Variable.parameter(logits)
        let fused = try Variable.softmaxCrossEntropy(a, labels)
        let chain = -(try Variable.mean(Variable.pick(Variable.logSoftmax(b, axis: 1), labels)))
        XCTAssertEqual(try fused.value.item(), try chain.value.item())
        try fused.backward(); try chain.backward()
        XCTAssertTrue(Tensor.allClose(try XCTUnwrap(a.grad), try XCTUnwrap(b.grad), rtol: 1e-6, atol: 1e-7))
    }

    func testSoftmaxCrossEntropyErrors() {
        let logits = Variable(Tensor(repeating: 0, shape: [2, 3]))
        assertThrows(["[2, 3]", "[3]"]) { try Variable.softmaxCrossEntropy(logits, Tensor([0, 1, 2])) }
        assertThrows(["[0, 3]"]) { try Variable.softmaxCrossEntropy(Variable(Tensor(repeating: 0, shape: [0, 3])), Tensor([Float]())) }
        assertThrows(["3"]) { try Variable.softmaxCrossEntropy(logits, Tensor([0, 3])) }
        assertThrows(["0.5"]) { try Variable.softmaxCrossEntropy(logits, Tensor([0, 0.5])) }
    }
}
