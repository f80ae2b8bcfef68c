import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Fetcher {
    /// Reads a `file:` feed (local feeds that scripts write). The file's size, modification time to the nanosecond
    /// and inode stand in for an ETag, so that an unchanged file costs one stat(2) and no parsing, and a file
    /// replaced by rename within the same second still counts as changed. `Last-Modified` gets the mtime as an
    /// HTTP-date, for display.
    func readFile(_ url: URL, validators: Validators) -> FetchOutcome {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error: FetchError = errno == ENOENT ? .fileMissing(path: path) : .file("\(path): \(Self.reason(errno))")
            return .failed(error, retryAfter: nil)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failed(.file("\(path): not a regular file"), retryAfter: nil)
        }
        let mtime = info.st_mtim
        let fingerprint = "\(info.st_size)-\(mtime.tv_sec).\(mtime.tv_nsec)-\(info.st_ino)"
        let lastModified = HTTPDate.format(Date(timeIntervalSince1970: TimeInterval(mtime.tv_sec)))
        let current = Validators(etag: fingerprint, lastModified: lastModified)
        if validators.etag == fingerprint {
            return .notModified(validators: current, permanentRedirect: nil, cacheFor: nil)
        }
        guard info.st_size <= maxBodyBytes else { return .failed(.tooLarge(limit: maxBodyBytes), retryAfter: nil) }
        let body: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // Read one byte past the cap: the file may have grown since stat(2).
            body = try handle.read(upToCount: maxBodyBytes + 1) ?? Data()
        } catch {
            return .failed(.file("\(path): \((error as NSError).localizedDescription)"), retryAfter: nil)
        }
        guard body.count <= maxBodyBytes else { return .failed(.tooLarge(limit: maxBodyBytes), retryAfter: nil) }
        guard !body.isEmpty else { return .failed(.emptyBody, retryAfter: nil) }
        return .fresh(body: body, finalURL: url, validators: current, permanentRedirect: nil, cacheFor: nil)
    }

    /// strerror(3) text for `code`, e.g. "No such file or directory".
    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
