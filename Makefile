# needlesim — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT ?= swift
BIN := .build/debug/needlesim

.PHONY: run test build release lint install uninstall deps ralph bench stress fuzz coverage-readme catalog-doc clean
FUZZ_SECONDS ?= 900
RALPH_VENV := .venv-ralph

## deps: install the system libraries the build needs (GNU readline, libyaml, SQLite headers, pkg-config).
deps:
	@missing=""; \
	for pkg in libreadline-dev libyaml-dev libsqlite3-dev sqlite3 pkg-config curl python3-venv chromium; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "needlesim needs:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

## build: debug build.
build: deps
	$(SWIFT) build

## run: practise the bundled cases (the main job).
run: build
	@$(BIN) $(ARGS)

## test: the whole test suite (what CI runs), including a real Ralph LRS for the xAPI tests.
test: deps ralph
	$(SWIFT) build --build-tests
	python3 Benchmarks/run.py --smoke
	$(SWIFT) test --skip-build

## bench: release benchmarks against same-run baselines; rewrites the table in docs/performance.md.
bench: deps ralph
	python3 Benchmarks/run.py

## stress: kill recording processes 200 times at random, then check every attempt is whole (a short run is in make test).
stress: deps
	$(SWIFT) build --build-tests
	NEEDLESIM_STRESS_KILLS=200 $(SWIFT) test --skip-build --filter killingRecordersAtRandom

## fuzz: libFuzzer with AddressSanitizer over the case loader + lint and the plan reader, FUZZ_SECONDS each.
fuzz: deps
	Fuzz/build.sh
	mkdir -p .build-fuzz/corpus-case .build-fuzz/corpus-plan
	LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan.supp .build-fuzz/debug/needlesim-fuzz-case .build-fuzz/corpus-case \
	  Fuzz/corpus/case -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=Fuzz/crashers/case- -print_final_stats=1
	LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan.supp .build-fuzz/debug/needlesim-fuzz-plan .build-fuzz/corpus-plan \
	  Fuzz/corpus/plan -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=Fuzz/crashers/plan- -print_final_stats=1

## ralph: the Ralph LRS (PyPI ralph-malph) in an ignored virtual environment, for the LRS tests.
ralph: $(RALPH_VENV)/bin/ralph

$(RALPH_VENV)/bin/ralph:
	python3 -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install -q "ralph-malph[cli,lrs]==5.1.0" requests

## lint: check the bundled cases (every variant of a template), the guidance and the example exams.
lint: build
	$(BIN) lint
	$(BIN) exam lint Exams/*.yaml

## coverage-readme: regenerate Scenarios/README.md from the data.
coverage-readme: build
	$(BIN) coverage --markdown > Scenarios/README.md

## catalog-doc: regenerate docs/catalog.md (every code and site) from the data.
catalog-doc: build
	$(BIN) catalog > docs/catalog.md

## release: optimised build, with the Swift runtime and Foundation linked in (start-up is ~3x faster without
## resolving their symbols at every launch; see docs/performance.md).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product needlesim

## install: the binary to $(PREFIX)/bin, the cases and guidance to $(PREFIX)/share/needlesim.
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/needlesim
	install -m 755 .build/release/needlesim $(DESTDIR)$(PREFIX)/bin/needlesim
	rm -rf $(DESTDIR)$(PREFIX)/share/needlesim/Scenarios $(DESTDIR)$(PREFIX)/share/needlesim/Scoring
	cp -R Scenarios Scoring $(DESTDIR)$(PREFIX)/share/needlesim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/needlesim
	rm -rf $(DESTDIR)$(PREFIX)/share/needlesim

clean:
	rm -rf .build $(RALPH_VENV)
