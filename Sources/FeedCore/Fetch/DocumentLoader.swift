import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Loads one document for `feedd parse`: a file, a `file:` URL, standard input (`-`), or an http(s) URL fetched
/// with a plain GET.
enum DocumentLoader {
    struct Loaded {
        var data: Data
        /// The URL relative links resolve against: the final URL after redirects, or the file's URL.
        var url: URL?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ source: String, sizeLimit: Int) async throws(Failure) -> Loaded {
        if source == "-" {
            return Loaded(data: FileHandle.standardInput.readDataToEndOfFile(), url: nil)
        }
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: source) else { throw Failure(description: "not a valid URL") }
            return try await get(url)
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

    private static func get(_ url: URL) async throws(Failure) -> Loaded {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.setValue(UserAgent.default, forHTTPHeaderField: "User-Agent")
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

/// The User-Agent feedd sends unless a feed or the config says otherwise.
enum UserAgent {
    static let `default` = Config.defaultUserAgent
}
