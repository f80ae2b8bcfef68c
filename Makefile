# Build and install feedd as a systemd service (see README.md, "Run as a service").
#
#   make deps                   the Debian packages the static build needs (root)
#   make                        a release binary that needs no Swift toolchain at run time
#   sudo make install           binary, units (feedd.service, feedd@.service for shards, feedd-follow@.service),
#                               example config (kept if one exists), bundled sample feed, the rsyslog-to-Kafka
#                               example
#   sudo make uninstall         removes what install put there; keeps /etc/feedd and /var/lib/feedd
#
# DESTDIR installs into a staging root (packaging, CI); PREFIX moves the binary and shared files.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/feedd
DOCDIR = $(PREFIX)/share/doc/feedd
UNITDIR ?= /etc/systemd/system
CONFDIR ?= /etc/feedd
SWIFT ?= swift
# A build folder of its own, so that the static build does not replace the debug one the tests use.
BUILDDIR ?= .build-static

BINARY = $(BUILDDIR)/release/feedd

.PHONY: all deps install uninstall clean

all: $(BINARY)

deps:
	apt-get install -y libcurl4-openssl-dev

# --static-swift-stdlib links the Swift runtime and Foundation in; it needs libcurl's development files, without
# which the link fails only after the whole compile, with dozens of undefined curl_* symbols: check them first.
$(BINARY): Package.swift $(shell find Sources -name '*.swift')
	@if [ ! -e /usr/include/curl/curl.h ] && [ ! -e /usr/include/$$(gcc -print-multiarch 2>/dev/null)/curl/curl.h ] \
		&& ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then \
		echo "make: the static build needs libcurl's development files (Debian: libcurl4-openssl-dev)." >&2; \
		echo "make: install them with 'sudo make deps' (or 'sudo apt-get install libcurl4-openssl-dev'), then run 'make' again." >&2; \
		exit 1; \
	fi
	$(SWIFT) build -c release --static-swift-stdlib -Xlinker -s --scratch-path $(BUILDDIR)

install: $(BINARY)
	install -D -m 0755 $(BINARY) $(DESTDIR)$(BINDIR)/feedd
	sed -e 's|/usr/local|$(PREFIX)|g' -e 's|/etc/feedd|$(CONFDIR)|g' systemd/feedd.service > $(BUILDDIR)/feedd.service
	install -D -m 0644 $(BUILDDIR)/feedd.service $(DESTDIR)$(UNITDIR)/feedd.service
	sed -e 's|/usr/local|$(PREFIX)|g' -e 's|/etc/feedd|$(CONFDIR)|g' systemd/feedd-follow@.service \
		> $(BUILDDIR)/feedd-follow@.service
	install -D -m 0644 $(BUILDDIR)/feedd-follow@.service $(DESTDIR)$(UNITDIR)/feedd-follow@.service
	sed -e 's|/usr/local|$(PREFIX)|g' -e 's|/etc/feedd|$(CONFDIR)|g' systemd/feedd@.service > $(BUILDDIR)/feedd@.service
	install -D -m 0644 $(BUILDDIR)/feedd@.service $(DESTDIR)$(UNITDIR)/feedd@.service
	install -D -m 0644 examples/rsyslog/feedd-kafka.conf $(DESTDIR)$(SHAREDIR)/examples/rsyslog/feedd-kafka.conf
	install -D -m 0644 examples/la-news-daily.xml $(DESTDIR)$(SHAREDIR)/examples/la-news-daily.xml
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	@if [ -e $(DESTDIR)$(CONFDIR)/feeds.json ]; then \
		echo "keeping the existing $(DESTDIR)$(CONFDIR)/feeds.json"; \
	else \
		sed -e 's|/usr/local|$(PREFIX)|g' systemd/feeds.json > $(BUILDDIR)/feeds.json; \
		install -D -m 0644 $(BUILDDIR)/feeds.json $(DESTDIR)$(CONFDIR)/feeds.json; \
	fi
	@if [ -z "$(DESTDIR)" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload; \
		echo "installed; start it with: systemctl enable --now feedd"; \
	fi

uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then \
		systemctl disable --now feedd 2>/dev/null || true; \
	fi
	rm -f $(DESTDIR)$(BINDIR)/feedd $(DESTDIR)$(UNITDIR)/feedd.service $(DESTDIR)$(UNITDIR)/feedd@.service \
		$(DESTDIR)$(UNITDIR)/feedd-follow@.service
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)
	@echo "kept $(CONFDIR) (your config) and /var/lib/feedd (the story log); remove them by hand if you want them gone"

clean:
	rm -rf $(BUILDDIR)
