import Foundation

/// What `kernel_info_reply` says about the kernel and the language (asked on shell and on control).
enum KernelInfo {
    static let version = "0.1.0"

    static let content: JSON = {
        let info: JSON = [
            "status": "ok",
            "protocol_version": .string(Message.protocolVersion),
            "implementation": "mapl",
            "implementation_version": .string(version),
            "language_info": [
                "name": "mapl",
                "version": .string(version),
                // No Pygments lexer exists for mapl: plain text, never another language's colours.
                "mimetype": "text/x-mapl",
                "file_extension": ".mapl",
                "pygments_lexer": "text",
                "codemirror_mode": "null",
            ],
            "banner": "mapl — everything is a mapping. help() lists the builtins; help(name) explains one.",
            "help_links": .array(helpLinks),
            "debugger": false,
        ]
        return info
    }()

    /// The docs of the checkout the running `mapl` was built in (`docs/` above `.build/…/mapl`), as file
    /// links; none for a `mapl` installed elsewhere.
    static var helpLinks: [JSON] {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let docs = folder.appendingPathComponent("docs")
            if FileManager.default.fileExists(atPath: docs.appendingPathComponent("language.md").path) {
                return [("The mapl language", "language.md"), ("Training", "training.md"), ("Events and journal", "events.md")].map {
                    ["text": .string($0.0), "url": .string(docs.appendingPathComponent($0.1).absoluteString)]
                }
            }
            folder = folder.deletingLastPathComponent()
        }
        return []
    }
}
