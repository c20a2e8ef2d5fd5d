#!/usr/bin/python3
"""The studio in a real browser: headless Chromium driven by Selenium.

Starts `miaopi serve --studio` on a copy of the Nanhai pack, then, as a
policy officer would: types a rule with an error and sees the inline
diagnostic, fixes it, decides a sample and changes a field in the form,
runs the cases, adds a case, draws the graph with a rule highlighted,
proves the properties, measures the impact and publishes. Screenshots go to
$MIAOPI_SCREENSHOTS (docs/images/studio when making the docs), else to a
temporary folder.

Usage: studio_browser_test.py MIAOPI PACK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

MIAOPI, PACK = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="miaopi-studio-test-")
pack = os.path.join(work, "pack")
shutil.copytree(PACK, pack)
shots = os.environ.get("MIAOPI_SCREENSHOTS") or os.path.join(work, "shots")
os.makedirs(shots, exist_ok=True)

server = subprocess.Popen(
    [MIAOPI, "serve", pack, "--studio", "--studio-scratch", os.path.join(work, "scratch"), "--listen", "127.0.0.1:0",
     "--threads", "2"],
    stdout=subprocess.PIPE, stderr=open(os.path.join(work, "serve.log"), "w"), text=True)
first = server.stdout.readline().strip()
assert first.startswith("listening on "), first
base = "http://" + first[len("listening on "):]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def pack_hash():
    with urllib.request.urlopen(base + "/v1/pack") as r:
        return json.load(r)["hash"]


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000", "--lang=zh-CN",
            "--disable-gpu"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
# The page replaces what it shows as answers come: an element found may be
# gone a moment later, and is simply looked up again.
wait = WebDriverWait(driver, 120, ignored_exceptions=[StaleElementReferenceException])
# Proofs run Z3 (8 s for the violated property below on an idle machine); on
# two busy cores, under the sanitizers, they take several times that.
proof_wait = WebDriverWait(driver, 180, ignored_exceptions=[StaleElementReferenceException])


def shot(name):
    driver.save_screenshot(os.path.join(shots, name + ".png"))


def text(css):
    return driver.find_element(By.CSS_SELECTOR, css).text


def tab(name):
    driver.find_element(By.CSS_SELECTOR, f'#tabs button[data-tab="{name}"]').click()


try:
    hash_before = pack_hash()
    driver.get(base + "/studio/")
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    check("compiles" in text("#check-status"), "the page opens on a pack that compiles")
    check(not driver.get_log("browser") or all(e["level"] != "SEVERE" for e in driver.get_log("browser")),
          "no script errors in the console")

    # -- edit: a rule with an error, typed into the editor
    Select(driver.find_element(By.ID, "file-list")).select_by_value("p02_senior.rules")
    wait.until(lambda d: "NH-P02" in d.execute_script("return studio.editor.getValue()"))
    # The line before the item's closing brace: the new rule goes there.
    last = driver.execute_script("return studio.editor.getValue().split('\\n').lastIndexOf('}')") - 1
    driver.execute_script(f"studio.editor.focus(); studio.editor.setCursor({last}, 1000);")
    editor_input = driver.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    # Enter keeps the line's indentation (four spaces after a `require`):
    # two backspaces put the rule at two, as the file has them.
    editor_input.send_keys(Keys.ENTER, Keys.BACKSPACE, Keys.BACKSPACE, 'rule R12 "申请人须登记联系电话。"', Keys.ENTER,
                           "  require len(elder.mobile) == 11 else review")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror-lint-marker-error"))
    wait.until(lambda d: "错误" in text("#check-status"))
    diag = text("#diagnostics")
    check("p02_senior.rules:" in diag and "mobile" in diag, "the diagnostic names file:line:col and the field: " + diag)
    driver.execute_script("studio.editor.setCursor(%d, 0); studio.editor.scrollIntoView(null, 200)" % (last + 2))
    shot("studio-diagnostic")

    # -- fix it: the field is `phone`
    cm_line = driver.execute_script("return studio.editor.getLine(%d)" % (last + 2))
    start = cm_line.index("mobile")
    driver.execute_script("studio.editor.setSelection({line: %d, ch: %d}, {line: %d, ch: %d}); studio.editor.focus()"
                          % (last + 2, start, last + 2, start + len("mobile")))
    editor_input.send_keys("phone")
    wait.until(lambda d: "compiles" in text("#check-status"))
    check(not driver.find_elements(By.CSS_SELECTOR, ".CodeMirror-lint-marker-error"), "fixed: no error marker left")
    check("R12" in open(os.path.join(work, "scratch", "p02_senior.rules"), encoding="utf-8").read(),
          "the edit is saved in the scratch folder")
    check("R12" not in open(os.path.join(pack, "p02_senior.rules"), encoding="utf-8").read(),
          "the pack in service is untouched before publishing")
    shot("studio-editor")

    # -- try: a sample, then a field changed in the form
    tab("try")
    sample = Select(driver.find_element(By.ID, "try-sample"))
    index = next(o.get_attribute("value") for o in sample.options if o.text.startswith("NH-P02 · an 86-year-old"))
    sample.select_by_value(index)
    wait.until(lambda d: d.find_elements(By.ID, "decision"))
    wait.until(lambda d: text("#decision") == "approve")
    check(True, "the sample is decided: approve")
    birth = driver.find_element(By.CSS_SELECTOR, '#try-form [data-path="hukou.birth_date"]')
    driver.execute_script("arguments[0].value = '1960-03-15'; arguments[0].dispatchEvent(new Event('input'))", birth)
    wait.until(lambda d: text("#decision") == "reject")
    check("R01" in text("#reasons"), "born 1960 in the form: rejected by R01 with its reason")
    check("一次性告知" in text("#try-result"), "the one-time notice is shown")
    shot("studio-try")

    # -- add the current application as a case, then run the cases
    driver.find_element(By.ID, "case-name").send_keys("born 1960: too young")
    driver.find_element(By.ID, "add-case").click()
    wait.until(lambda d: "studio_cases.json" in text("#message"))
    tab("tests")
    driver.find_element(By.ID, "run-tests").click()
    wait.until(lambda d: d.find_elements(By.ID, "tests-summary"))
    summary = text("#tests-summary")
    # 296 cases with the new one; R12 wants a phone the centenarian's case lacks.
    check("295 passed" in summary and "1 failed" in summary, "the cases run, the new one among them: " + summary)
    check("expected [R10], got [R10, R12]" in text("#tests-result"), "the failing case shows what differs")
    check("R12" in text("#coverage"), "coverage lists the new rule")
    shot("studio-tests")

    # -- the graph, a rule highlighted
    tab("graph")
    Select(driver.find_element(By.ID, "graph-item")).select_by_value("NH-P02")
    Select(driver.find_element(By.ID, "graph-rule")).select_by_value("R12")
    driver.find_element(By.ID, "draw-graph").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#graph-view svg"))
    lit = driver.find_elements(By.CSS_SELECTOR, '#graph-view svg polygon[fill="#ffd966"]')
    check(len(lit) >= 2, f"the graph is drawn with R12's nodes highlighted ({len(lit)})")
    whole = len(driver.find_elements(By.CSS_SELECTOR, "#graph-view svg g.node"))
    transform = lambda: driver.find_element(By.CSS_SELECTOR, "#graph-view svg").get_attribute("style")
    before = transform()
    driver.find_element(By.ID, "zoom-in").click()
    check(transform() != before, "the graph zooms: " + transform())
    driver.find_element(By.ID, "graph-only").click()
    driver.find_element(By.ID, "draw-graph").click()
    wait.until(lambda d: 0 < len(d.find_elements(By.CSS_SELECTOR, "#graph-view svg g.node")) < whole)
    only = len(driver.find_elements(By.CSS_SELECTOR, "#graph-view svg g.node"))
    check(True, f"only R12's nodes: {only} of {whole}")
    shot("studio-graph")

    # -- prove the item's properties
    tab("prove")
    Select(driver.find_element(By.ID, "prove-item")).select_by_value("NH-P02")
    driver.find_element(By.ID, "run-verify").click()
    proof_wait.until(lambda d: d.find_elements(By.ID, "properties"))
    check("proved" in text("#properties"), "properties are proved")

    # -- a property that does not hold, in a new file: its counterexample goes to Try
    driver.find_element(By.ID, "new-file").send_keys("too_strong.rules")
    driver.find_element(By.ID, "add-file").click()
    wait.until(lambda d: Select(d.find_element(By.ID, "file-list")).first_selected_option.text == "too_strong.rules")
    driver.find_element(By.CSS_SELECTOR, ".CodeMirror textarea").send_keys(
        'property ALWAYS "高龄津贴总能秒批" for "NH-P02":', Keys.ENTER, "  decision == approve")
    saved = os.path.join(work, "scratch", "too_strong.rules")
    wait.until(lambda d: "compiles" in text("#check-status") and "approve" in open(saved, encoding="utf-8").read())
    # The studio gives each solver question ten seconds (an interactive
    # answer); on two cores busy with the rest of the suite the search for a
    # counterexample can run past that and answer "unknown". Ask again then.
    for attempt in range(3):
        driver.find_element(By.ID, "run-verify").click()  # shows "proving…" until the answer
        proof_wait.until(lambda d: "proving" not in text("#prove-result"))
        if driver.find_elements(By.CSS_SELECTOR, "#properties .load-counterexample"):
            break
        print("note the proof answered without a counterexample (attempt %d): %s" % (attempt + 1, text("#prove-result")))
    check("violated" in text("#properties"), "a property that does not hold is violated")
    shot("studio-prove")
    driver.find_element(By.CSS_SELECTOR, "#properties .load-counterexample").click()
    wait.until(lambda d: d.find_element(By.ID, "tab-try").is_displayed() and d.find_elements(By.ID, "decision"))
    wait.until(lambda d: text("#decision") in ("review", "reject"))
    check(True, "its counterexample is decided in Try: " + text("#decision"))
    driver.execute_script("window.confirm = () => true")
    driver.find_element(By.ID, "delete-file").click()
    wait.until(lambda d: "已删除" in text("#message"))
    check(not os.path.exists(os.path.join(work, "scratch", "too_strong.rules")), "the file is deleted")
    tab("prove")

    # -- impact of the edit over the pack's cases
    tab("impact")
    driver.find_element(By.ID, "run-impact").click()
    wait.until(lambda d: d.find_elements(By.ID, "impact-count"))
    check("applications compared" in text("#impact-count"), "the impact report: " + text("#impact-count"))
    driver.switch_to.frame(driver.find_element(By.ID, "impact-report"))
    check("R12" in driver.find_element(By.TAG_NAME, "body").text, "the report names the new rule")
    driver.switch_to.default_content()
    shot("studio-impact")

    # -- publish: the server reloads the edited pack
    driver.find_element(By.ID, "publish").click()
    wait.until(lambda d: "已发布" in text("#message") or "未发布" in text("#message"))
    check("已发布" in text("#message"), "published: " + text("#message"))
    check(pack_hash() != hash_before, "the pack in service changed")
    check("R12" in open(os.path.join(pack, "p02_senior.rules"), encoding="utf-8").read(),
          "the pack folder holds the edit")

    # -- an edit typed just before Reset stays thrown away (no save queued behind the reset)
    Select(driver.find_element(By.ID, "file-list")).select_by_value("p02_senior.rules")
    wait.until(lambda d: d.execute_script("return studio.file") == "p02_senior.rules")
    driver.execute_script("studio.editor.focus(); studio.editor.setCursor(0, 0)")
    driver.find_element(By.CSS_SELECTOR, ".CodeMirror textarea").send_keys("# thrown away", Keys.ENTER)
    driver.execute_script("window.confirm = () => true")
    driver.find_element(By.ID, "reset").click()
    wait.until(lambda d: "已重置" in text("#message"))
    time.sleep(2)  # past the editor's half-second save delay and a retry's start
    scratch_text = open(os.path.join(work, "scratch", "p02_senior.rules"), encoding="utf-8").read()
    check("thrown away" not in scratch_text and "R12" in scratch_text,
          "Reset keeps the pack in service's text: the edit typed just before is not saved after it")
finally:
    driver.quit()
    server.terminate()
    server.wait(timeout=120)
    check(server.returncode == 0, "the server stops cleanly (exit 0)")

print("screenshots in", shots)
if failures:
    print(open(os.path.join(work, "serve.log")).read())
    sys.exit(1)
shutil.rmtree(work, ignore_errors=True) if not os.environ.get("MIAOPI_SCREENSHOTS") else None
