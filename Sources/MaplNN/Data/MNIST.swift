import Foundation

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
/// **Checks.** Downloaded files are always verified: the SHA-256 of the decompressed file must match the
/// published value. Local files get a cheap check instead of hashing 47 MB on every load: the IDX header and
/// size must give the expected counts and 28×28 shape, and the labels file (60 KB) is hashed — that alone
/// tells digits from fashion, so a `$MAPL_DATA` holding the other kind is skipped rather than loaded.
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

/// What is known about one of the four files: its name and the SHA-256 and element count of its
/// decompressed contents.
struct MNISTFileSpec {
    var name: String
    var sha256: String
    var count: Int
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
            // From /work/shared/data/mnist/README.md (the published MNIST values).
            files = [
                "train": (MNISTFileSpec(name: "train-images-idx3-ubyte", sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", count: 60000),
                          MNISTFileSpec(name: "train-labels-idx1-ubyte", sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", count: 60000)),
                "test": (MNISTFileSpec(name: "t10k-images-idx3-ubyte", sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", count: 10000),
                         MNISTFileSpec(name: "t10k-labels-idx1-ubyte", sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", count: 10000)),
            ]
        case .fashion:
            systemDirectories = ["/usr/share/datasets/fashion-mnist"]
            mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
            // Computed with Python's hashlib from the decompressed files of Debian's fashion-mnist package.
            files = [
                "train": (MNISTFileSpec(name: "train-images-idx3-ubyte", sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", count: 60000),
                          MNISTFileSpec(name: "train-labels-idx1-ubyte", sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", count: 60000)),
                "test": (MNISTFileSpec(name: "t10k-images-idx3-ubyte", sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", count: 10000),
                         MNISTFileSpec(name: "t10k-labels-idx1-ubyte", sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", count: 10000)),
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
            throw TensorError("\(kind.name): unknown split '\(split)'; use \"train\" or \"test\"")
        }
        var notes: [String] = []
        for dir in searchDirectories {
            guard let imagesPath = existing(spec.images.name, in: dir), let labelsPath = existing(spec.labels.name, in: dir) else { continue }
            do {
                let labels = try IDX.read(labelsPath)
                let labelsHash = try SHA256.hex(IDX.encode(labels))
                guard labelsHash == spec.labels.sha256 else {
                    notes.append("\(labelsPath): not the \(kind.name) labels (checksum differs), skipped")
                    continue
                }
                return try dataset(images: IDX.read(imagesPath), labels: labels, spec: spec, source: imagesPath)
            } catch let error as TensorError {
                notes.append("\(dir): \(error.message), skipped")
            }
        }
        return try download(split: split, spec: spec, notes: notes)
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
            throw TensorError("'\(source)' holds images of shape \(shapeString(images.shape)), expected [\(n), 28, 28]")
        }
        guard labels.shape == [spec.labels.count], spec.labels.count == n else {
            throw TensorError("the labels next to '\(source)' have shape \(shapeString(labels.shape)), expected [\(n)]")
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
                            throw TensorError("\(url): SHA-256 of the decompressed file is \(hash), expected \(file.sha256)")
                        }
                        try Files.write(raw, to: destination)
                        progress("\(kind.name): \(gzName) verified and saved to \(destination)")
                        fetched = array
                    } catch let error as TensorError {
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
        throw TensorError(message)
    }
}
