import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the documents of `feedd parse`: files, `file:` URLs, standard input (`-`), or http(s) URLs fetched with a
/// plain GET.
///
/// One loader serves a whole command, so that the working directory relative paths start from is found once.
struct DocumentLoader {
    struct Loaded {
        var data: Data
        /// The URL relative links resolve against: the final URL after redirects, or the file's URL.
        var url: URL?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Documents larger than this are refused.
    let sizeLimit: Int
    /// The directory relative paths start from, as `URL(fileURLWithPath:)` would find it anew for every file (a
    /// system call and a URL); nil when there is none to find.
    private let workingDirectory: URL?

    init(sizeLimit: Int) {
        self.sizeLimit = sizeLimit
        let path = FileManager.default.currentDirectoryPath
        workingDirectory = path.hasPrefix("/") ? URL(filePath: path, directoryHint: .isDirectory) : nil
    }

    /// Loads `source`: `-`, an http(s) or `file:` URL, or a path.
    func load(_ source: String) async throws(Failure) -> Loaded {
        if source == "-" {
            return Loaded(data: FileHandle.standardInput.readDataToEndOfFile(), url: nil)
        }
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: source) else { throw Failure(description: "not a valid URL") }
            return try await Self.get(url)
        }
        if !lower.hasPrefix("file:"), let data = try readRegularFile(atPath: source) {
            // The path names a regular file (a directory fails to open as one), so there is nothing to ask the disk.
            let url = URL(filePath: source, directoryHint: .notDirectory, relativeTo: workingDirectory)
            return Loaded(data: data, url: url)
        }
        let url = lower.hasPrefix("file:") ? URL(string: source) : URL(fileURLWithPath: source)
        guard let url, url.isFileURL else { throw Failure(description: "not a valid file URL") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > sizeLimit {
            throw Failure(description: "file is \(size) bytes, over the limit of \(sizeLimit) bytes")
        }
        do {
            return Loaded(data: try Data(contentsOf: url), url: url)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw Failure(description: "cannot read: \(reason)")
        }
    }

    /// Reads the regular file at `path` with one `open`, `fstat` and `read`: FileManager's attributes cost more
    /// than reading a feed (they look up the owner's name), and `Data(contentsOf:)` stats the file again.
    ///
    /// - Returns: the file's bytes, or nil when the path is not a regular file that opens and reads (a symbolic
    ///   link, a directory, a missing file, an I/O error); the caller then goes the slow way, which words the error.
    /// - Throws: `Failure` when the file is larger than `sizeLimit`.
    private func readRegularFile(atPath path: String) throws(Failure) -> Data? {
        // O_NOFOLLOW: the size limit applies to a symbolic link itself, as FileManager reports it, not to its target.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(status.st_size)
        if size > sizeLimit {
            throw Failure(description: "file is \(size) bytes, over the limit of \(sizeLimit) bytes")
        }
        guard size > 0 else { return Data() }
        // Not `Data(count:)`, which zeroes every byte before `read` overwrites it.
        guard let memory = malloc(size) else { return nil }
        var offset = 0
        while offset < size {
            let n = read(fd, memory + offset, size - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                free(memory)
                return nil
            }
            offset += n
        }
        return Data(bytesNoCopy: memory, count: size, deallocator: .free)
    }

    private static func get(_ url: URL) async throws(Failure) -> Loaded {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.setValue(Config.defaultUserAgent, forHTTPHeaderField: "User-Agent")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else { throw Failure(description: "HTTP \(status)") }
            return Loaded(data: data, url: response.url ?? url)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "fetch failed: \((error as NSError).localizedDescription)")
        }
    }
}
