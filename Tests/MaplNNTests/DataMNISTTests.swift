import XCTest
@testable import MaplNN
import MaplTestSupport
import MaplEngine

/// The MNIST loader: search order and checks with tiny synthetic IDX files (no network), download
/// verification with a stub fetcher, and the real files when available.
final class DataMNISTTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "mnist-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    /// Two 28×28 images with every pixel equal to `pixel`, labels [first, 1]: the IDX bytes written by hand.
    func imagesFile(pixel: UInt8) -> [UInt8] { [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: pixel, count: 2 * 784) }
    func labelsFile(first: UInt8) -> [UInt8] { [0, 0, 8, 1, 0, 0, 0, 2, first, 1] }

    func put(_ bytes: [UInt8], _ dir: String, _ name: String, gzip: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let data = gzip ? try Gzip.compress(bytes) : bytes
        try Data(data).write(to: URL(fileURLWithPath: dir + "/" + name + (gzip ? ".gz" : "")))
    }

    /// Writes a full training pair into `dir`; the label of image 0 identifies which copy was loaded.
    func putTrain(_ dir: String, first: UInt8, pixel: UInt8 = 255, gzip: Bool = true) throws {
        try put(imagesFile(pixel: pixel), dir, "train-images-idx3-ubyte", gzip: gzip)
        try put(labelsFile(first: first), dir, "train-labels-idx1-ubyte", gzip: gzip)
    }

    /// A loader expecting the synthetic files: two images, and labels whose first value is `acceptedFirst`
    /// (another first label stands for "the other dataset" — its hash differs); downloads go to `fetch`.
    func loader(env: [String: String], kind: MNIST.Kind = .digits, acceptedFirst: UInt8 = 3, system: [String] = [],
                fetch: @escaping (String, String, (String) -> Void) throws -> Void = { url, _, _ in throw TensorError("\(url): offline") }) throws -> MNISTLoader {
        var l = MNISTLoader(kind: kind, environment: env, progress: { _ in })
        l.systemDirectories = system
        l.mirrors = ["https://mirror.invalid/"]
        l.files = ["train": (MNISTFileSpec(name: "train-images-idx3-ubyte", sha256: try SHA256.hex(imagesFile(pixel: 255)), count: 2),
                             MNISTFileSpec(name: "train-labels-idx1-ubyte", sha256: try SHA256.hex(labelsFile(first: acceptedFirst)), count: 2))]
        l.fetch = fetch
        return l
    }

    func firstLabel(_ d: Dataset) throws -> Float { try d.sample(0).y.item() }

    /// Each folder holds a copy whose pixels identify it, and copies are added from the last place searched to
    /// the first: each new copy must win. The loader knows every copy: the gzipped ones by their file hash,
    /// the uncompressed one (pixel 30) as the published contents.
    func testSearchOrder() throws {
        let data = root + "/data", cache = root + "/cache", system = root + "/system"
        let env = ["MAPL_DATA": data, "XDG_CACHE_HOME": cache]
        func loadedPixel() throws -> Float {
            var l = try loader(env: env, system: [system])
            l.files["train"]!.images.sha256 = try SHA256.hex(imagesFile(pixel: 30))
            l.files["train"]!.images.gzipSHA256 = Set(try [10, 20, 40].map { try SHA256.hex(try Gzip.compress(imagesFile(pixel: $0))) })
            return try l.load(split: "train").sample(0).x.scalars[0] * 255
        }
        XCTAssertEqual(try loader(env: env, system: [system]).searchDirectories, [data, data + "/mnist", cache + "/mapl/mnist", system])
        try putTrain(system, first: 3, pixel: 10)
        XCTAssertEqual(try loadedPixel(), 10, accuracy: 1e-4)
        try putTrain(cache + "/mapl/mnist", first: 3, pixel: 20)
        XCTAssertEqual(try loadedPixel(), 20, accuracy: 1e-4)
        try putTrain(data + "/mnist", first: 3, pixel: 30, gzip: false)   // uncompressed names accepted
        XCTAssertEqual(try loadedPixel(), 30, accuracy: 1e-4)
        try putTrain(data, first: 3, pixel: 40)
        XCTAssertEqual(try loadedPixel(), 40, accuracy: 1e-4)
        XCTAssertEqual(try loader(env: env, kind: .fashion).searchDirectories, [data, data + "/fashion-mnist", data + "/fashion", cache + "/mapl/fashion-mnist"])
    }

    /// A copy whose labels hash differs (the other kind, or a damaged file) is skipped, and the next folder is used.
    func testWrongKindIsSkipped() throws {
        let data = root + "/data", cache = root + "/cache"
        try putTrain(data, first: 7)              // "the other dataset"
        try putTrain(cache + "/mapl/mnist", first: 3)
        XCTAssertEqual(try firstLabel(try loader(env: ["MAPL_DATA": data, "XDG_CACHE_HOME": cache]).load(split: "train")), 3)
    }

    func testHomeCacheWhenNoXDG() throws {
        XCTAssertEqual(try loader(env: ["HOME": "/home/u"], kind: .fashion).cacheDirectory, "/home/u/.cache/mapl/fashion-mnist")
    }

    func testNotFoundMessageListsPlacesAndFix() throws {
        let l = try loader(env: ["XDG_CACHE_HOME": root + "/cache"])
        XCTAssertThrowsError(try l.load(split: "train")) { error in
            let m = "\(error)"
            XCTAssertTrue(m.contains("mnist train data not found"), m)
            XCTAssertTrue(m.contains("$MAPL_DATA (not set)"), m)
            XCTAssertTrue(m.contains(self.root + "/cache/mapl/mnist"), m)
            XCTAssertTrue(m.contains("https://mirror.invalid/train-images-idx3-ubyte.gz: offline"), m)
            XCTAssertTrue(m.contains("set MAPL_DATA"), m)
        }
        XCTAssertThrowsError(try l.load(split: "valid")) { XCTAssertTrue("\($0)".contains("unknown split 'valid'")) }
    }

    /// A download is verified before it is kept; the next load finds it in the cache without fetching.
    func testDownloadVerifiedAndCached() throws {
        let env = ["XDG_CACHE_HOME": root + "/cache"]
        var fetched: [String] = []
        let images = try Gzip.compress(imagesFile(pixel: 255)), labels = try Gzip.compress(labelsFile(first: 3))
        let l = try loader(env: env) { url, destination, _ in
            fetched.append(url)
            try Data(url.contains("images") ? images : labels).write(to: URL(fileURLWithPath: destination))
        }
        let d = try l.load(split: "train")
        XCTAssertEqual(fetched, ["https://mirror.invalid/train-images-idx3-ubyte.gz", "https://mirror.invalid/train-labels-idx1-ubyte.gz"])
        XCTAssertEqual(try d.sample(1).x.scalars.first, 1)
        XCTAssertTrue(Files.exists(root + "/cache/mapl/mnist/train-labels-idx1-ubyte.gz"))
        XCTAssertFalse(Files.exists(root + "/cache/mapl/mnist/train-labels-idx1-ubyte.gz.part"))
        let offline = try loader(env: env)
        XCTAssertEqual(try firstLabel(offline.load(split: "train")), 3)
    }

    /// Local images are checked too: an uncompressed copy with every pixel inverted, or a gzip of it, is
    /// skipped with a note naming the file, and the loader goes on to the next folder.
    func testAlteredLocalImagesAreNamedAndSkipped() throws {
        let data = root + "/data", cache = root + "/cache"
        try put(imagesFile(pixel: 0), data, "train-images-idx3-ubyte", gzip: false)   // 255 inverted
        try put(labelsFile(first: 3), data, "train-labels-idx1-ubyte", gzip: false)
        try putTrain(cache + "/mapl/mnist", first: 3)
        let l = try loader(env: ["MAPL_DATA": data, "XDG_CACHE_HOME": cache])
        XCTAssertEqual(try l.load(split: "train").sample(0).x.scalars[0], 1)   // the cache's good copy
        try FileManager.default.removeItem(atPath: cache)
        try FileManager.default.removeItem(atPath: data + "/train-images-idx3-ubyte")
        try put(imagesFile(pixel: 0), data, "train-images-idx3-ubyte", gzip: true)
        XCTAssertThrowsError(try l.load(split: "train")) { error in
            let m = "\(error)"
            XCTAssertTrue(m.contains("'\(data)/train-images-idx3-ubyte.gz' differs from the published mnist train-images-idx3-ubyte"), m)
            XCTAssertTrue(m.contains("SHA-256 of its decompressed bytes is \((try? SHA256.hex(self.imagesFile(pixel: 0))) ?? "?")"), m)
        }
    }

    /// A gzip bomb (a valid header, then far more data than it declares) is named and skipped after
    /// decompressing no more than the declared size, and the next folder's copy is used.
    func testGzipBombIsSkipped() throws {
        let data = root + "/data", cache = root + "/cache"
        try put(imagesFile(pixel: 255) + [UInt8](repeating: 0, count: 8 << 20), data, "train-images-idx3-ubyte")
        try put(labelsFile(first: 3), data, "train-labels-idx1-ubyte")
        try putTrain(cache + "/mapl/mnist", first: 3)
        var notes: [String] = []
        var l = try loader(env: ["MAPL_DATA": data, "XDG_CACHE_HOME": cache])
        l.progress = { notes.append($0) }
        XCTAssertEqual(try l.load(split: "train").count, 2)
        try FileManager.default.removeItem(atPath: cache)
        XCTAssertThrowsError(try l.load(split: "train")) {
            XCTAssertTrue("\($0)".contains("train-images-idx3-ubyte.gz' is corrupt: shape [2, 28, 28] needs 1568 data bytes, but it decompresses to more"), "\($0)")
        }
    }

    func testDownloadWithWrongChecksumIsRejected() throws {
        let env = ["XDG_CACHE_HOME": root + "/cache"]
        let wrong = try Gzip.compress(imagesFile(pixel: 1))
        let l = try loader(env: env) { _, destination, _ in try Data(wrong).write(to: URL(fileURLWithPath: destination)) }
        XCTAssertThrowsError(try l.load(split: "train")) { XCTAssertTrue("\($0)".contains("SHA-256 of the decompressed file is"), "\($0)") }
        XCTAssertFalse(Files.exists(root + "/cache/mapl/mnist/train-images-idx3-ubyte.gz"))
    }

    /// The real downloader fails cleanly (no network needed: nothing listens on port 9 of this machine).
    func testCurlFailureIsAMessage() {
        let destination = root + "/x.part"
        XCTAssertThrowsError(try Downloader.fetch("http://127.0.0.1:9/x.gz", to: destination, progress: { _ in })) { error in
            let m = "\(error)"
            XCTAssertTrue(m.hasPrefix("http://127.0.0.1:9/x.gz: "), m)
            XCTAssertTrue(m.contains("curl") || m.contains("onnect"), m)
        }
    }

    /// Too little memory for the split is that error: it used to be taken for a bad local file, and the
    /// loader went on to download (and the download hung). Here the split declares more images than this
    /// machine could hold; nothing is fetched.
    func testTooLittleMemoryIsAnErrorNotAReasonToDownload() throws {
        try putTrain(root + "/data", first: 3)
        var fetched: [String] = []
        var l = try loader(env: ["MAPL_DATA": root + "/data", "XDG_CACHE_HOME": root + "/cache"]) { url, _, _ in fetched.append(url) }
        l.files["train"]!.images.count = 1 << 40
        XCTAssertThrowsError(try l.load(split: "train")) {
            XCTAssertTrue("\($0)".hasPrefix("needs ") && "\($0)".contains("for the mnist train images"), "\($0)")
        }
        XCTAssertEqual(fetched, [])
    }

    /// A download that does not finish (a server that never answers) is stopped by a stop request within a
    /// few seconds, and curl is reaped: no child, zombie or not, is left behind.
    func testAStoppedDownloadEndsAndReapsCurl() throws {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(server, 0)
        defer { close(server) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
            bind(server, p, length) == 0 && listen(server, 4) == 0 && getsockname(server, p, &length) == 0
        } }
        XCTAssertTrue(bound)
        let port = UInt16(bigEndian: address.sin_port)   // accepted by the kernel, never answered
        let flag = StopFlag()
        flag.installOnCurrentThread()
        defer { StopFlag.uninstallFromCurrentThread() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flag.request() }
        let began = Date()
        XCTAssertThrowsError(try Downloader.fetch("http://127.0.0.1:\(port)/x.gz", to: root + "/x.part", progress: { _ in })) {
            XCTAssertTrue($0 is Interrupted, "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(began), 5)
        let children = (try? String(contentsOfFile: "/proc/self/task/\(getpid())/children", encoding: .utf8)) ?? ""
        XCTAssertEqual(children.trimmingCharacters(in: .whitespaces), "", "a child is left: \(children)")
    }

    // MARK: The real files

    /// $MAPL_DATA holding MNIST; without it the test skips (fails under CI=true).
    func realData() throws -> String { try RealData.mnistData() }

    /// Values from python3: gzip + numpy on the same files (first labels, image 0's pixel sum 27525 → /255).
    func testRealMNIST() throws {
        let env = ["MAPL_DATA": try realData(), "XDG_CACHE_HOME": root + "/cache"]
        let noFetch: (String, String, (String) -> Void) throws -> Void = { url, _, _ in XCTFail("tried to download \(url)") }
        var train = MNISTLoader(kind: .digits, environment: env, progress: { _ in })
        train.fetch = noFetch
        let d = try train.load(split: "train")
        XCTAssertEqual(d.description, "dataset: 60000 images [1, 28, 28], 10 classes")
        let first = try d.batch([0])
        XCTAssertEqual(first.y, Tensor([5]))
        XCTAssertEqual(first.x.scalars.reduce(0, +), 27525.0 / 255.0, accuracy: 1e-3)
        XCTAssertEqual(first.x.scalars[14 * 28 + 14], 240.0 / 255.0, accuracy: 1e-7)
        XCTAssertEqual(first.x.scalars.max(), 1)
        XCTAssertEqual(first.x.scalars.min(), 0)
        // Class counts np.bincount(train labels)
        var counts = [Int](repeating: 0, count: 10)
        for v in try d.y.scalars { counts[Int(v)] += 1 }
        XCTAssertEqual(counts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])

        var testLoader = MNISTLoader(kind: .digits, environment: env, progress: { _ in })
        testLoader.fetch = noFetch
        let t = try testLoader.load(split: "test")
        XCTAssertEqual(t.count, 10000)
        XCTAssertEqual(try t.slice(0..<5).y, Tensor([7, 2, 1, 0, 4]))

        // numpy on the same files: train mean 0.13066048, std 0.30810780 (PyTorch's example's 0.1307, 0.3081);
        // test image 0's centre pixel normalised by them: −0.42407389.
        let stats = d.inputStatistics
        XCTAssertEqual(stats.mean[0], 0.13066048, accuracy: 1e-6)
        XCTAssertEqual(stats.std[0], 0.30810780, accuracy: 1e-6)
        let centre = try t.normalized(mean: stats.mean, std: stats.std).batch([0]).x.scalars[14 * 28 + 14]
        XCTAssertEqual(centre, -0.42407389, accuracy: 1e-5)
    }

    /// Our SHA-256 on the real decompressed test labels matches the published value (README of the data).
    func testRealChecksum() throws {
        let dir = try realData()
        let path = [dir + "/t10k-labels-idx1-ubyte.gz", dir + "/mnist/t10k-labels-idx1-ubyte.gz"].first(where: Files.exists)
        guard let path else { try RealData.unavailable("the gzip copy of MNIST's test labels is not in \(dir)") }
        let raw = try Gzip.decompress(try Files.read(path), name: path)
        XCTAssertEqual(try SHA256.hex(raw), "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")
    }

    /// Fashion-MNIST from Debian's package; python3 gzip + numpy: first labels 9 0 0 3 0, image 0 pixel sum 76247.
    func testRealFashionFromDebianPackage() throws {
        guard Files.exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz") else {
            try RealData.unavailable("the Debian package dataset-fashion-mnist is not installed")
        }
        var l = MNISTLoader(kind: .fashion, environment: ["XDG_CACHE_HOME": root + "/cache"], progress: { _ in })
        l.fetch = { url, _, _ in XCTFail("tried to download \(url)") }
        let d = try l.load(split: "train")
        XCTAssertEqual(try d.slice(0..<5).y, Tensor([9, 0, 0, 3, 0]))
        XCTAssertEqual(try d.batch([0]).x.scalars.reduce(0, +), 76247.0 / 255.0, accuracy: 1e-3)
    }
}
