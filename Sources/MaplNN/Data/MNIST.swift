import Foundation
import MaplEngine

/// The MNIST handwritten digits and Fashion-MNIST: 60,000 training and 10,000 test images of 28×28 grey
/// levels with labels 0–9, as byte-backed datasets (`dataset: 60000 images [1, 28, 28], 10 classes`).
///
/// **Where the files are found.** For a split, the first folder holding both its files (`train-images-idx3-ubyte`
/// and `train-labels-idx1-ubyte`, or `t10k-…` for test; each `.gz` or uncompressed) wins, in this order:
/// 1. `$MAPL_DATA`, then `$MAPL_DATA/mnist` (digits) or `$MAPL_DATA/fashion-mnist`, `$MAPL_DATA/fashion`;
/// 2. the user cache `$XDG_CACHE_HOME/mapl/<name>` or `~/.cache/mapl/<name>` (name `mnist` or `fashion-mnist`);
/// 3. for Fashion-MNIST, the Debian package's `/usr/share/datasets/fashion-mnist`;
/// 4. otherwise the files are downloaded from the standard mirrors into the user cache.
///
/// **Checks.** Every file is checked against its published SHA-256 before it is used, local or downloaded,
/// images as well as labels: a `.gz` whose own hash is a known one (the mirrors' files, the copies this
/// project ships or Debian packages) is accepted as it is; any other `.gz` and every uncompressed file must
/// decompress to the published bytes. A file that differs is named in the message ("… differs from the
/// published …") and its folder skipped — the labels' check also tells digits from fashion, so a
/// `$MAPL_DATA` holding the other kind is passed over rather than loaded.
public enum MNIST {
    /// Which of the two datasets.
    public enum Kind: String {
        /// The handwritten digits.
        case digits
        /// Zalando's Fashion-MNIST (T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, boot).
        case fashion

        /// The cache folder name and the name used in messages.
        public var name: String { self == .digits ? "mnist" : "fashion-mnist" }
    }

    /// Loads `split` ("train" or "test") of `kind`, downloading into the user cache if no local copy is found.
    /// `progress` receives human-readable lines during a download (by default they go to stderr).
    public static func load(split: String, kind: Kind = .digits,
                            progress: @escaping (String) -> Void = MNIST.printToStandardError) throws -> Dataset {
        try MNISTLoader(kind: kind, environment: ProcessInfo.processInfo.environment, progress: progress).load(split: split)
    }

    /// The default progress sink: one line per message on stderr.
    public static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// What is known about one of the four files: its name, the SHA-256 and element count of its
/// decompressed contents, and the SHA-256s of known gzip files holding exactly those contents.
struct MNISTFileSpec {
    var name: String
    var sha256: String
    var count: Int
    var gzipSHA256: Set<String> = []
}

/// The search, checking and downloading behind `MNIST.load`, with every outside input (environment,
/// system folders, mirrors, the downloader, the expected checksums) a property so tests can replace it.
struct MNISTLoader {
    var kind: MNIST.Kind
    var environment: [String: String]
    var progress: (String) -> Void
    var systemDirectories: [String]
    var mirrors: [String]
    var files: [String: (images: MNISTFileSpec, labels: MNISTFileSpec)]
    /// Fetches a URL to a local path, reporting progress; throws a message on failure.
    var fetch: (_ url: String, _ destination: String, _ progress: (String) -> Void) throws -> Void = { try Downloader.fetch($0, to: $1, progress: $2) }

    init(kind: MNIST.Kind, environment: [String: String], progress: @escaping (String) -> Void) {
        self.kind = kind
        self.environment = environment
        self.progress = progress
        switch kind {
        case .digits:
            systemDirectories = []
            mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"]
            // Decompressed: from /work/shared/data/mnist/README.md (the published MNIST values). Gzip files: the
            // mirrors' (sha256sum of the files the mirrors serve, as published by dataset tools) and the
            // project's shared copy (another compressor run; sha256sum here).
            files = [
                "train": (MNISTFileSpec(name: "train-images-idx3-ubyte", sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", count: 60000,
                                        gzipSHA256: ["440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                                                     "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971"]),
                          MNISTFileSpec(name: "train-labels-idx1-ubyte", sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", count: 60000,
                                        gzipSHA256: ["3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                                                     "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203"])),
                "test": (MNISTFileSpec(name: "t10k-images-idx3-ubyte", sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", count: 10000,
                                       gzipSHA256: ["8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                                                    "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be"]),
                         MNISTFileSpec(name: "t10k-labels-idx1-ubyte", sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", count: 10000,
                                       gzipSHA256: ["f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                                                    "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b"])),
            ]
        case .fashion:
            systemDirectories = ["/usr/share/datasets/fashion-mnist"]
            mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
            // Decompressed: computed from the files of Debian's fashion-mnist package, and the same values as
            // public tools derive from archives matching Zalando's published MD5s. Gzip files: Zalando's
            // (their MD5s match the README; SHA-256 as published by dataset tools) and Debian's recompressed
            // copies (sha256sum of /usr/share/datasets/fashion-mnist/*.gz).
            files = [
                "train": (MNISTFileSpec(name: "train-images-idx3-ubyte", sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", count: 60000,
                                        gzipSHA256: ["3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                                                     "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"]),
                          MNISTFileSpec(name: "train-labels-idx1-ubyte", sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", count: 60000,
                                        gzipSHA256: ["a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                                                     "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"])),
                "test": (MNISTFileSpec(name: "t10k-images-idx3-ubyte", sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", count: 10000,
                                       gzipSHA256: ["346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                                                    "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"]),
                         MNISTFileSpec(name: "t10k-labels-idx1-ubyte", sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", count: 10000,
                                       gzipSHA256: ["67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                                                    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"])),
            ]
        }
    }

    /// The user cache folder for this kind.
    var cacheDirectory: String {
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(".cache")
        }
        return ((base as NSString).appendingPathComponent("mapl") as NSString).appendingPathComponent(kind.name)
    }

    /// The folders searched, in order.
    var searchDirectories: [String] {
        var dirs: [String] = []
        if let data = environment["MAPL_DATA"], !data.isEmpty {
            dirs.append(data)
            let subfolders = kind == .digits ? ["mnist"] : ["fashion-mnist", "fashion"]
            dirs += subfolders.map { (data as NSString).appendingPathComponent($0) }
        }
        dirs.append(cacheDirectory)
        return dirs + systemDirectories
    }

    func load(split: String) throws -> Dataset {
        guard let spec = files[split] else {
            throw DataError("\(kind.name): unknown split '\(split)'; use \"train\" or \"test\"")
        }
        // Whether the files are here or must be fetched, the split needs this much memory: too little is that
        // error, never a reason to skip a good local file and download (a gzip file, its bytes, the floats).
        let pixels = spec.images.count * 28 * 28
        try MemoryBudget.check(bytes: pixels * (1 + 1 + MemoryLayout<Float>.size), what: "the \(kind.name) \(split) images")
        var notes: [String] = []
        for dir in searchDirectories {
            guard let imagesPath = existing(spec.images.name, in: dir), let labelsPath = existing(spec.labels.name, in: dir) else { continue }
            do {
                // Labels first: they are small, and a mismatch there usually means the other dataset.
                let labels = try verified(labelsPath, spec.labels)
                return try dataset(images: verified(imagesPath, spec.images), labels: labels, spec: spec, source: imagesPath)
            } catch let error as UserFacingError {
                notes.append("\(error.message); skipped")
            }
        }
        return try download(split: split, spec: spec, notes: notes)
    }

    /// The file at `path` parsed, after checking it is the published one: a `.gz` with a known hash as it is,
    /// anything else by the hash of its decompressed bytes. Throws naming the file that differs.
    func verified(_ path: String, _ file: MNISTFileSpec) throws -> IDXArray {
        let raw = try Files.read(path)
        let isGzip = Gzip.isGzip(raw)
        if isGzip, file.gzipSHA256.contains(try SHA256.hex(raw)) { return try IDX.parse(raw, name: path) }
        let bytes = try IDX.decompressed(raw, name: path)
        let hash = try SHA256.hex(bytes)
        guard hash == file.sha256 else {
            throw DataError("'\(path)' differs from the published \(kind.name) \(file.name): SHA-256 of its \(isGzip ? "decompressed " : "")bytes is \(hash), expected \(file.sha256)")
        }
        return try IDX.parse(bytes, name: path)
    }

    /// `dir/name.gz` or `dir/name`, whichever exists first.
    private func existing(_ name: String, in dir: String) -> String? {
        for candidate in [name + ".gz", name] {
            let path = (dir as NSString).appendingPathComponent(candidate)
            if Files.exists(path) { return path }
        }
        return nil
    }

    /// Checks counts and shapes and builds the dataset.
    private func dataset(images: IDXArray, labels: IDXArray, spec: (images: MNISTFileSpec, labels: MNISTFileSpec), source: String) throws -> Dataset {
        let n = spec.images.count
        guard images.shape == [n, 28, 28] else {
            throw DataError("'\(source)' holds images of shape \(shapeString(images.shape)), expected [\(n), 28, 28]")
        }
        guard labels.shape == [spec.labels.count], spec.labels.count == n else {
            throw DataError("the labels next to '\(source)' have shape \(shapeString(labels.shape)), expected [\(n)]")
        }
        return try Dataset(images: images.bytes, sampleShape: [1, 28, 28], labels: labels.bytes, classes: 10)
    }

    /// Downloads both files of the split into the cache, verifying each before it is kept.
    private func download(split: String, spec: (images: MNISTFileSpec, labels: MNISTFileSpec), notes: [String]) throws -> Dataset {
        var failures: [String] = []
        let cache = cacheDirectory
        do {
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        } catch {
            failures.append("cannot create the cache folder \(cache): \(error.localizedDescription)")
        }
        var arrays: [IDXArray] = []
        if failures.isEmpty {
            for file in [spec.images, spec.labels] {
                let gzName = file.name + ".gz"
                let destination = (cache as NSString).appendingPathComponent(gzName)
                var fetched: IDXArray? = nil
                for mirror in mirrors where fetched == nil {
                    let url = mirror + gzName
                    let partial = destination + ".part"
                    defer { try? FileManager.default.removeItem(atPath: partial) }
                    do {
                        progress("\(kind.name): downloading \(url)")
                        try fetch(url, partial, progress)
                        let raw = try Files.read(partial)
                        let array = try IDX.parse(raw, name: url)
                        let hash = try SHA256.hex(IDX.encode(array))
                        guard hash == file.sha256 else {
                            throw DataError("\(url): SHA-256 of the decompressed file is \(hash), expected \(file.sha256)")
                        }
                        try Files.write(raw, to: destination)
                        progress("\(kind.name): \(gzName) verified and saved to \(destination)")
                        fetched = array
                    } catch let error as UserFacingError {
                        failures.append(error.message)
                    }
                }
                guard let array = fetched else { break }
                arrays.append(array)
            }
        }
        if arrays.count == 2 {
            return try dataset(images: arrays[0], labels: arrays[1], spec: spec, source: (cache as NSString).appendingPathComponent(spec.images.name + ".gz"))
        }
        var message = "\(kind.name) \(split) data not found. Looked for \(spec.images.name)(.gz) and \(spec.labels.name)(.gz) in:\n"
        if environment["MAPL_DATA"].map({ $0.isEmpty }) ?? true { message += "  $MAPL_DATA (not set)\n" }
        message += searchDirectories.map { "  \($0)\n" }.joined()
        if !notes.isEmpty { message += "Skipped:\n" + notes.map { "  \($0)\n" }.joined() }
        message += "Download failed:\n" + failures.map { "  \($0)\n" }.joined()
        message += "Fix: put the four \(kind.name) files in a folder and set MAPL_DATA to it (or to its parent, with a '\(kind.name)' subfolder), or connect to the network and try again."
        throw DataError(message)
    }
}
