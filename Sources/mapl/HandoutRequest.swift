import Foundation
import MaplLang
import MaplNN

/// `mapl run FILE --handout OUT.md [--quiz] [--images]`: where the handout goes and what it holds.
struct HandoutRequest {
    var path: String
    var title: String
    /// Every trace's answers left blank, with the key at the end.
    var quiz: Bool
    /// Pictures also as PNG files beside the Markdown.
    var images: Bool

    /// `OUT` for `OUT.md`: the PNG files are `OUT-1.png`, … in the same folder.
    var imageStem: String? {
        guard images else { return nil }
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }

    /// Writes the Markdown, then its pictures beside it.
    func write(_ handout: inout Handout) throws {
        try Files.write(Array(handout.markdown().utf8), to: path)
        let folder = (path as NSString).deletingLastPathComponent
        for image in handout.imageFiles {
            try Files.write(image.png, to: folder.isEmpty ? image.name : (folder as NSString).appendingPathComponent(image.name))
        }
    }
}
