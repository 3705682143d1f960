// swift-tools-version:6.0
// mapl — a terminal notebook for deep learning. The modules depend one way only (README's Layout draws it):
// MaplCore (Tensor as data, files, exact JSON, Locked) ← MaplEngine (kernels, autodiff) ← MaplNN (layers,
// losses, optimizers, data) ← MaplLang (parser, interpreter, builtins) ← MaplRuntime (the session thread)
// ← MaplNotebook (terminal UI), MaplKernel (Jupyter) ← the `mapl` executable. Beside them, two leaves every front end shares:
// MaplCore ← MaplProtocol (the events and pictures as data, the journal's JSON) ← MaplRender (drawing them);
// MaplLang emits through both, and a front end needs them, MaplRuntime and MaplFrontEnd (signals, the rerun
// check), never MaplLang, MaplEngine or MaplNN.
// Each target lists exactly the modules its files import (Tests/check-modules.py checks it in `make test`).
import PackageDescription

/// MaplCore, MaplEngine, MaplNN and MaplRuntime build in Swift 6 mode (strict concurrency: what crosses threads
/// is checked). The language (and MaplProtocol and MaplRender, moved out of it), the notebook and the executable
/// stay in Swift 5 mode: the interpreter's values
/// (mappings, layers, closures) are classes owned by the session thread and never cross threads — the
/// runtime hands out `Sendable` snapshots instead — so strict checking there would only add annotations.
let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
/// The interpreter's hot path is variable access on class instances; dynamic exclusivity checks cost a third of
/// a scalar loop. Debug builds (and so the tests) keep the checks, release builds drop them.
let interpreterSettings: [SwiftSetting] = swift5 + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "mapl",
    products: [
        .executable(name: "mapl", targets: ["mapl"]),
        .library(name: "MaplEngine", targets: ["MaplEngine"]),
        .library(name: "MaplNN", targets: ["MaplNN"]),
        .library(name: "MaplLang", targets: ["MaplLang"]),
        .library(name: "MaplRuntime", targets: ["MaplRuntime"]),
        .library(name: "MaplKernel", targets: ["MaplKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries from Debian, each behind a small module map and a shim header: OpenBLAS, zlib, libpng, libcrypto, ncursesw, readline, ZeroMQ, oneDNN.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CZmq", path: "Sources/CZmq"),
        // oneDNN (Debian: libdnnl-dev) for convolutions with several input channels, behind a small C plan API.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .target(name: "CConvolution", dependencies: ["CDNNL"], path: "Sources/CConvolution"),
        // Loops Swift cannot vectorise on a baseline target, with an AVX2 copy picked at load time.
        .target(name: "CKernels", path: "Sources/CKernels"),

        // The values every layer shares: a tensor as data (shape and floats), the memory budget, files, exact JSON, a lock.
        .target(name: "MaplCore", dependencies: ["CKernels"]),
        .target(name: "MaplEngine", dependencies: ["MaplCore", "CBLAS", "CKernels", "CDNNL", "CConvolution"]),
        .target(name: "MaplNN", dependencies: ["MaplEngine", "CZlib", "CCrypto", "CKernels"]),
        // What a program shows, as data every front end shares: the events, the pictures, the journal's JSON.
        .target(name: "MaplProtocol", dependencies: ["MaplCore"], swiftSettings: swift5),
        // Drawing the protocol's pictures and text: charts, images, trace text, the printer's number forms, PNG.
        .target(name: "MaplRender", dependencies: ["MaplProtocol", "MaplCore", "CPNG"], swiftSettings: swift5),
        .target(name: "MaplLang", dependencies: ["MaplEngine", "MaplNN", "MaplProtocol", "MaplRender"], swiftSettings: interpreterSettings),
        .target(name: "MaplRuntime", dependencies: ["MaplLang", "MaplEngine"]),
        // Display events as Jupyter mime bundles (text/plain, image/png, image/svg+xml, text/html) for the kernel.
        .target(name: "MaplRichOutput", dependencies: ["MaplProtocol", "MaplRender", "MaplCore"], swiftSettings: swift5),
        // What front ends share beyond the protocol: watching signals, the rerun check of a journal.
        .target(name: "MaplFrontEnd", dependencies: ["MaplRuntime", "MaplProtocol", "MaplCore"]),
        // The Jupyter kernel: the messaging protocol over ZeroMQ, signed with libcrypto's HMAC, driving a Session.
        .target(name: "MaplKernel", dependencies: ["MaplRuntime", "MaplFrontEnd", "MaplProtocol", "MaplRender", "MaplRichOutput", "MaplCore", "CZmq", "CCrypto"]),
        .target(name: "MaplNotebook", dependencies: ["MaplRuntime", "MaplFrontEnd", "MaplProtocol", "MaplRender", "MaplCore", "CNcurses", "CReadline"], swiftSettings: swift5),
        .executableTarget(
            name: "mapl",
            dependencies: ["MaplNotebook", "MaplKernel", "MaplFrontEnd", "MaplRichOutput", "MaplRuntime", "MaplLang", "MaplNN", "MaplEngine", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swift5),

        // Benchmarks: release builds, never part of the test suite.
        .executableTarget(name: "engine-bench", dependencies: ["MaplEngine", "CBLAS", "CConvolution"], path: "bench/engine", swiftSettings: swift5),
        .executableTarget(name: "runtime-bench", dependencies: ["MaplRuntime", "MaplLang", "MaplEngine", "MaplNN"], path: "bench/runtime"),
        .executableTarget(name: "lang-bench", dependencies: ["MaplLang", "MaplEngine"], path: "bench/lang", swiftSettings: swift5),
        .executableTarget(name: "notebook-bench", dependencies: ["MaplNotebook", "MaplLang", "MaplEngine"], path: "bench/notebook", swiftSettings: swift5),
        .executableTarget(name: "mnist-bench", dependencies: ["MaplNN"], path: "bench/mnist", exclude: ["mnist_idx.py", "numpy_mlp.py", "torch_cnn.py", "torch_mlp.py", "torch_models.py", "torch_sequences.py"], swiftSettings: swift5),

        .testTarget(name: "MaplEngineTests", dependencies: ["MaplEngine", "MaplCore", "CKernels"], swiftSettings: swift5),
        // What tests share: finding the real data sets through MAPL_DATA, skipping without them except in CI.
        .target(name: "MaplTestSupport", dependencies: ["MaplNN"], path: "Tests/MaplTestSupport", swiftSettings: swift5),
        .testTarget(name: "MaplNNTests", dependencies: ["MaplNN", "MaplEngine", "MaplTestSupport"], swiftSettings: swift5),
        .testTarget(name: "MaplLangTests", dependencies: ["MaplLang", "MaplRender", "MaplNN", "MaplEngine", "MaplTestSupport"], exclude: ["Conformance", "BadInput"], swiftSettings: swift5),
        .testTarget(name: "MaplRuntimeTests", dependencies: ["MaplRuntime", "MaplFrontEnd", "MaplLang", "MaplEngine"]),
        .testTarget(name: "MaplNotebookTests", dependencies: ["MaplNotebook", "MaplRuntime", "MaplLang", "MaplEngine", "MaplTestSupport"], swiftSettings: swift5),
        .testTarget(name: "MaplRichOutputTests", dependencies: ["MaplRichOutput", "MaplLang", "MaplEngine", "MaplTestSupport"], swiftSettings: swift5),
        .testTarget(name: "MaplKernelTests", dependencies: ["MaplKernel"]),
        .testTarget(name: "MaplCLITests", dependencies: ["mapl", "MaplTestSupport"], swiftSettings: swift5),
    ]
)
