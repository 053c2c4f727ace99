# collbench: GNU make. hwloc via pkg-config, libnuma via -lnuma.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(PREFIX)/lib/pkgconfig
# collbench-plugin.pc's version: collbench's own (common.h).
CB_VERSION := $(shell sed -n 's/^\#define CB_VERSION "\(.*\)"/\1/p' include/collbench/common.h)
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
HWLOC_CFLAGS := $(shell $(PKG_CONFIG) --cflags hwloc 2>/dev/null)
HWLOC_LIBS := $(shell $(PKG_CONFIG) --libs hwloc 2>/dev/null || echo -lhwloc)

OPT ?= -O2
# Frame pointers and -g keep `perf record -g` call graphs readable.
CFLAGS ?= $(OPT) -g -fno-omit-frame-pointer
CFLAGS += -std=gnu11 -Wall -Wextra -pthread
CPPFLAGS += -Iinclude $(HWLOC_CFLAGS)
LDLIBS += $(HWLOC_LIBS) -lnuma -lm -pthread

# MPI=1: the MPI transport (src/mpi/, transport.h), compiled with $(MPICC);
# the default build needs no MPI.
MPI ?=
MPICC ?= mpicc
ifeq ($(MPI),1)
CC := $(MPICC)
CPPFLAGS += -DCB_HAVE_MPI
MPI_SRCS := $(wildcard src/mpi/*.c)
CONFIG := mpi-$(notdir $(MPICC))
else
CONFIG := plain
endif

# Every module except main; tests link these too.
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c src/coll/*.c src/algo/*.c)) $(MPI_SRCS)
SRCS := src/main.c $(LIB_SRCS)

# Each configuration compiles into a directory of its own (build/plain,
# build/mpi-mpicc, build/tsan, ...), so no object of one is ever linked into
# another. The compile line is recorded there: when it changes (another
# OPT, another compiler) the objects are rebuilt. ./collbench is relinked
# whenever the configuration asked for is not the one it was linked from,
# so any order of `make`, `make MPI=1`, `make sanitizers` leaves the binary
# that the last command asked for.
BUILDROOT ?= build
BUILD ?= $(BUILDROOT)/$(CONFIG)
BIN ?= collbench
OBJS := $(SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)

COMPILE_LINE := $(CC) $(CPPFLAGS) $(CFLAGS)
FLAGS_FILE := $(BUILD)/.compile-line
ifneq ($(shell cat $(FLAGS_FILE) 2>/dev/null),$(COMPILE_LINE))
$(shell mkdir -p $(BUILD) && printf '%s\n' '$(COMPILE_LINE)' >$(FLAGS_FILE))
endif
# (Only for the default ./collbench: a BIN given on the command line, as
# the sanitizer and MPI builds and tests do, has its own BUILD directory.)
LINKED_FROM := $(BUILDROOT)/.linked-$(BIN)
ifeq ($(origin BIN),file)
RECORD_LINK = @mkdir -p $(BUILDROOT) && printf '%s\n' '$(BUILD) $(COMPILE_LINE)' >$(LINKED_FROM)
ifneq ($(shell cat $(LINKED_FROM) 2>/dev/null),$(BUILD) $(COMPILE_LINE))
.PHONY: $(BIN)
endif
endif

TEST_UNITS := $(patsubst test/%.c,%,$(wildcard test/unit_*.c))
TEST_BINS := $(TEST_UNITS:%=$(BUILD)/test/%)

.PHONY: all check check-hosts install uninstall clean deps deps-test tests sanitizers fuzz bench mpi-builds examples
all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
	$(RECORD_LINK)

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/test/%: test/%.c test/unit.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

tests: $(BIN) $(TEST_BINS) examples

# The example plug-ins (examples/plugins/), built against the in-tree
# header as a user would against the installed one (test/t_plugin.sh does
# the latter, outside the tree).
EXAMPLE_SOS := $(patsubst examples/plugins/%.c,$(BUILD)/examples/%.so,$(wildcard examples/plugins/*.c))
examples: $(EXAMPLE_SOS)
$(BUILD)/examples/%.so: examples/plugins/%.c include/collbench/plugin.h
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC $(CFLAGS) -Iinclude -o $@ $<

# Sanitizer builds of the same sources, each in its own build directory.
TSAN_BIN := $(BUILDROOT)/tsan/collbench
ASAN_BIN := $(BUILDROOT)/asan/collbench
sanitizers:
	@$(MAKE) --no-print-directory MPI= BUILD=$(BUILDROOT)/tsan BIN=$(TSAN_BIN) \
		OPT="-O1 -fsanitize=thread" LDFLAGS="-fsanitize=thread" $(TSAN_BIN)
	@$(MAKE) --no-print-directory MPI= BUILD=$(BUILDROOT)/asan BIN=$(ASAN_BIN) \
		OPT="-O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" $(ASAN_BIN)

# The MPI transport built against each installed MPI, each in its own
# build directory (a missing one is skipped; test/t_mpi.sh then says so).
OMPI_BIN := $(BUILDROOT)/ompi/collbench
MPICH_BIN := $(BUILDROOT)/mpich/collbench
mpi-builds:
	@if command -v mpicc.openmpi >/dev/null; then $(MAKE) --no-print-directory MPI=1 \
		MPICC=mpicc.openmpi BUILD=$(BUILDROOT)/ompi BIN=$(OMPI_BIN) $(OMPI_BIN); \
	else echo "mpicc.openmpi not found: no Open MPI build"; fi
	@if command -v mpicc.mpich >/dev/null; then $(MAKE) --no-print-directory MPI=1 \
		MPICC=mpicc.mpich BUILD=$(BUILDROOT)/mpich BIN=$(MPICH_BIN) $(MPICH_BIN); \
	else echo "mpicc.mpich not found: no MPICH build"; fi

check: tests sanitizers mpi-builds
	@COLLBENCH=$(abspath $(BIN)) TEST_BIN_DIR=$(BUILD)/test \
		TSAN_COLLBENCH=$(abspath $(TSAN_BIN)) ASAN_COLLBENCH=$(abspath $(ASAN_BIN)) \
		OMPI_COLLBENCH=$(abspath $(OMPI_BIN)) MPICH_COLLBENCH=$(abspath $(MPICH_BIN)) \
		bash test/run.sh $(TESTS)

# The namespaced hosts' whole matrix (test/t_hosts.sh, HOSTS_FULL=1): 2
# hosts x 1 rank, 2 x 2 and 3 x 1 under Open MPI and MPICH, every
# collective and algorithm over a small sweep. Root; several minutes.
check-hosts:
	@HOSTS_FULL=1 $(MAKE) --no-print-directory check TESTS=t_hosts

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/collbench
	install -m 644 man/collbench.1 $(DESTDIR)$(MANDIR)/man1/collbench.1
	install -d $(DESTDIR)$(INCLUDEDIR)/collbench $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/collbench/plugin.h $(DESTDIR)$(INCLUDEDIR)/collbench/plugin.h
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: collbench-plugin' \
		'Description: API for collbench algorithm plug-ins (collbench --plugin)' \
		'Version: $(CB_VERSION)' 'Cflags: -I$${includedir}' \
		>$(DESTDIR)$(PKGCONFIGDIR)/collbench-plugin.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/collbench-plugin.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/collbench $(DESTDIR)$(MANDIR)/man1/collbench.1 \
		$(DESTDIR)$(INCLUDEDIR)/collbench/plugin.h \
		$(DESTDIR)$(PKGCONFIGDIR)/collbench-plugin.pc

# Debian packages (deps.sh says which and why; it installs only what is
# missing): `make deps` for the build and the main job, `make deps-test`
# for make check.
deps:
	@sh deps.sh main
deps-test:
	@sh deps.sh test

# Bounded libFuzzer runs (clang), FUZZ_SECONDS each: the option and plan
# grammars (fuzz_cli) and --baseline files (fuzz_baseline). Findings land
# in $(BUILD)/fuzz/; keep each as a regression input in test/fuzz-regress/.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 -pthread
fuzz:
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus_baseline
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $(BUILD)/fuzz/fuzz_cli fuzz/fuzz_cli.c \
		$(LIB_SRCS) $(LDLIBS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $(BUILD)/fuzz/fuzz_baseline fuzz/fuzz_baseline.c \
		$(LIB_SRCS) $(LDLIBS)
	cd $(BUILD)/fuzz && ASAN_OPTIONS=detect_leaks=0 ./fuzz_cli -max_total_time=$(FUZZ_SECONDS) \
		-timeout=5 -rss_limit_mb=2048 -close_fd_mask=3 -artifact_prefix=./ corpus $(abspath fuzz/corpus)
	cd $(BUILD)/fuzz && ASAN_OPTIONS=detect_leaks=0 ./fuzz_baseline -max_total_time=$(FUZZ_SECONDS) \
		-timeout=5 -rss_limit_mb=2048 -close_fd_mask=3 -artifact_prefix=./baseline- \
		corpus_baseline $(abspath fuzz/corpus_baseline)

# Comparison with Open MPI and MPICH (installs them as root); writes
# bench/RESULTS.md. Not part of make check: it takes about 30 minutes.
bench: $(BIN)
	sh bench/run.sh

clean:
	rm -rf $(BUILDROOT) $(BIN)

-include $(OBJS:.o=.d) $(LIB_OBJS:.o=.d)
