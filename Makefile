# 存量客户经营台: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
PORT   ?= 8501
# LAN mode: the address of this PC on the branch network, and its TLS certificate and key (see README, 安全).
LAN_ADDRESS ?= $(shell hostname -I 2>/dev/null | cut -d' ' -f1)
TLS_CERT    ?= data/secrets/tls.crt
TLS_KEY     ?= data/secrets/tls.key

.PHONY: run run-lan tls-cert test lint format bench demo clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt constraints.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

## make run: install, prepare the embedded database and the demo outlet, start the console on this PC only
## (127.0.0.1: nothing on the network can reach it, and nothing is asked of the internet at start).
run: $(VENV)/.runtime
	$(BIN)/python -m core setup --demo data/demo
	$(BIN)/streamlit run serve.py --server.address 127.0.0.1 --server.port $(PORT)

## make run-lan: the console for colleagues' PCs, over HTTPS only, on this PC's LAN address (not every interface).
run-lan: $(VENV)/.runtime
	@test -n "$(LAN_ADDRESS)" || { echo "LAN_ADDRESS is empty: make run-lan LAN_ADDRESS=192.168.x.y"; exit 2; }
	@test -r "$(TLS_CERT)" && test -r "$(TLS_KEY)" || { echo "TLS certificate missing: $(TLS_CERT) / $(TLS_KEY) (make tls-cert, or the bank's own)"; exit 2; }
	$(BIN)/python -m core setup
	$(BIN)/streamlit run serve.py --server.address $(LAN_ADDRESS) --server.port $(PORT) \
	  --server.sslCertFile $(TLS_CERT) --server.sslKeyFile $(TLS_KEY)

## make tls-cert: a self-signed certificate for LAN_ADDRESS (prefer one issued by the bank's own CA).
tls-cert:
	@test -n "$(LAN_ADDRESS)" || { echo "LAN_ADDRESS is empty: make tls-cert LAN_ADDRESS=192.168.x.y"; exit 2; }
	mkdir -p -m 700 $(dir $(TLS_KEY))
	openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes -keyout $(TLS_KEY) -out $(TLS_CERT) \
	  -subj "/CN=$(LAN_ADDRESS)" -addext "subjectAltName=IP:$(LAN_ADDRESS)"
	chmod 600 $(TLS_KEY)

demo: $(VENV)/.runtime
	$(BIN)/python -m core setup --demo data/demo

## make test: install what the tests need (Python packages, Debian's Chromium), lint, run every test: all but the
## browser journey in parallel (pytest-xdist, one worker per core, a test module's tests kept on one worker so its
## seeded database is built once), then the browser journey alone (it serves the console on a port and times it).
TEST_WORKERS ?= auto
test: $(VENV)/.dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile -m "not browser"
	$(BIN)/python -m pytest -q -p no:cacheprovider -m browser tests/browser

# The browser journey drives Debian's Chromium (and a CJK font, so its screenshots show the Chinese);
# install them when missing and we may (root with apt-get).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium and fonts-wqy-microhei for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "chromium not installed and cannot install it here: the browser journey will be skipped"; fi; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench/out
