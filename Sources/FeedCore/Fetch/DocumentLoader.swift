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
/// plain GET through the daemon's own `Fetcher`, so that a failure reads the same in both (`FetchError`).
///
/// One loader serves a whole command, so that the working directory relative paths start from is found once.
struct DocumentLoader {
    struct Loaded {
        var data: Data
        /// The URL relative links resolve against: the final URL after redirects, or the file's URL.
        var url: URL?
        /// Where the document moved, when it came through redirects that were all permanent (see
        /// `Fetcher.permanentRedirect`): the address to give for it from now on.
        var permanentRedirect: URL? = nil
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String

        init(_ error: FetchError) {
            description = error.description
        }

        init(description: String) {
            self.description = description
        }
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
            guard let url = URL(string: source), url.host != nil else { throw Failure(.network("bad URL")) }
            return try await get(url)
        }
        if !lower.hasPrefix("file:"), let data = try readRegularFile(atPath: source) {
            // The path names a regular file (a directory fails to open as one), so there is nothing to ask the disk.
            let url = URL(filePath: source, directoryHint: .notDirectory, relativeTo: workingDirectory)
            return Loaded(data: data, url: url)
        }
        let url = lower.hasPrefix("file:") ? URL(string: source) : URL(fileURLWithPath: source)
        guard let url, url.isFileURL else { throw Failure(.file("\(source): not a valid file URL")) }
        guard FileManager.default.fileExists(atPath: url.path) else { throw Failure(.fileMissing(path: url.path)) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > sizeLimit { throw Failure(.tooLarge(limit: sizeLimit)) }
        do {
            return Loaded(data: try Data(contentsOf: url), url: url)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw Failure(.file("\(url.path): \(reason)"))
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
        if size > sizeLimit { throw Failure(.tooLarge(limit: sizeLimit)) }
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

    /// A plain GET (no validators) with the daemon's `Fetcher`: its headers, redirects, deadline, size limit and
    /// error words.
    private func get(_ url: URL) async throws(Failure) -> Loaded {
        let fetcher = Fetcher(client: URLSessionHTTPClient(maximumConnectionsPerHost: 1), maxBodyBytes: sizeLimit)
        let feed = FeedConfig(id: FeedID("parse"), url: url)
        switch await fetcher.fetch(feed, validators: Validators()) {
        case .fresh(let body, let finalURL, _, let moved, _):
            return Loaded(data: body, url: finalURL, permanentRedirect: moved)
        case .notModified: throw Failure(.http(status: 304))
        case .gone: throw Failure(.http(status: 410))
        case .failed(let error, _): throw Failure(error)
        }
    }
}
