// The one-time notice (一次性告知, 行政许可法 §32(四)): a decision and its
// remedies as Chinese text for the applicant, written from the Decision
// alone so that any holder of a record (the CLI, the service, a backend
// that kept the JSON) words it the same way. This file's external
// interface is miaopi::Notice.
#include <string>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

namespace {

// A JSON value as the applicant reads it: strings without their quotes.
std::string Plain(const std::string& json) {
  if (json.size() >= 2 && json.front() == '"' && json.back() == '"') return json.substr(1, json.size() - 2);
  if (json == "null") return "（不填）";
  return json;
}

std::string TypeWord(const std::string& type) {
  if (type == "int") return "整数";
  if (type == "number") return "数值";
  if (type == "string") return "文本";
  if (type == "date") return "日期（YYYY-MM-DD）";
  if (type == "bool") return "是/否";
  if (type == "duration") return "期限";
  if (type.rfind("list", 0) == 0) return "列表";
  return "记录";
}

const char* ProblemWord(const std::string& problem) {
  if (problem == "not_found") return "电子证照库中未找到可使用的";
  if (problem == "expired") return "电子证照库中的证照已过期：";
  if (problem == "revoked") return "电子证照库中的证照已被吊销：";
  if (problem == "cancelled") return "电子证照库中的证照已注销：";
  if (problem == "suspended") return "电子证照库中的证照已暂停使用：";
  if (problem == "not_yet_valid") return "电子证照库中的证照尚未生效：";
  if (problem == "other_status") return "电子证照库中的证照状态不是“有效”：";
  if (problem == "unreadable") return "电子证照库中的证照记录无法读取：";
  if (problem == "condition") return "电子证照库中的证照不满足条件：";
  if (problem == "no_library") return "本次办理未接入电子证照库，无法核验";
  return "电子证照库暂不可用，无法核验";
}

std::string ChangeText(const RemedyChange& c) {
  if (!c.licence.empty()) {
    std::string s = std::string(ProblemWord(c.problem)) + c.licence_title;
    if (c.problem == "condition") s += "（" + c.need + "）";
    s += "。您可以：";
    for (size_t i = 0; i < c.ways.size(); ++i) s += (i ? "；或" : "") + c.ways[i];
    return s + "。";
  }
  std::string s = c.path + "：";
  if (c.need == "provide") {
    s += c.problem == "wrong_type" ? "格式不符" : "未提供";
    s += "，请提供" + TypeWord(c.type);
    if (!c.condition.empty()) s += "，须满足 " + c.condition;
  } else if (c.need == "omit") {
    s += "请不要填写此项";
  } else {
    if (!c.have.empty()) s += "现为 " + Plain(c.have) + "，";
    s += "须满足 " + c.need;
  }
  if (!c.example.empty() && c.need != "omit") s += "（例如 " + Plain(c.example) + "）";
  return s + "。";
}

const Reason* ReasonOf(const Decision& d, const std::string& rule) {
  for (const Reason& r : d.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

const char* kNumbers[] = {"一", "二", "三", "四"};

}  // namespace

std::string Notice(const Decision& d) {
  if (d.decision == Outcome::kApprove) return "";
  std::string out = "一次性告知书\n\n";
  out += "事项：" + d.item_title + "（" + d.item + "）\n";
  if (!d.id_json.empty()) out += "申请编号：" + Plain(d.id_json) + "\n";
  out += "办理日期：" + d.date + "\n";
  out += std::string("审批结果：") + (d.decision == Outcome::kReject ? "不予即时批准" : "转工作人员人工审核") + "\n\n";
  out +=
      "您的申请未能即时通过。依照《中华人民共和国行政许可法》第三十二条，现将需要补正或更正的全部内容一次性告知如下。"
      "\n";
  std::string fixable, fixed;
  int n_fixable = 0, n_fixed = 0;
  for (const Remedy& r : d.remedies) {
    const Reason* reason = ReasonOf(d, r.rule);
    std::string head = (reason != nullptr ? reason->message : r.rule) + "（规则 " + r.rule;
    if (reason != nullptr && !reason->basis.empty()) head += "；依据：" + reason->basis;
    head += "）";
    if (r.fixable) {
      fixable += "\n" + std::to_string(++n_fixable) + ". " + head + "\n";
      for (const RemedyChange& c : r.changes) fixable += "   · " + ChangeText(c) + "\n";
    } else {
      // `why` is "MESSAGE（WHY NOT）": the message is in the head already.
      std::string why = r.why;
      const std::string open = (reason != nullptr ? reason->message : r.rule) + "（";
      const std::string close = "）";
      if (why.rfind(open, 0) == 0 && why.size() >= open.size() + close.size() &&
          why.compare(why.size() - close.size(), close.size(), close) == 0) {
        why = why.substr(open.size(), why.size() - open.size() - close.size());
      }
      fixed += "\n" + std::to_string(++n_fixed) + ". " + head + "\n   " + why + "。\n";
    }
  }
  // Reasons without a remedy (remedies not computed): listed as they are.
  if (d.remedies.empty()) {
    for (const Reason& r : d.reasons) {
      fixable += "\n" + std::to_string(++n_fixable) + ". " + r.message + "（规则 " + r.rule;
      if (!r.basis.empty()) fixable += "；依据：" + r.basis;
      fixable += "）\n";
      for (const std::string& m : r.missing) fixable += "   · " + m + "：未提供或格式不符，请提供。\n";
    }
  }
  int section = 0;
  if (n_fixable > 0) out += "\n" + std::string(kNumbers[section++]) + "、需要补正或更正的内容\n" + fixable;
  if (n_fixed > 0) out += "\n" + std::string(kNumbers[section++]) + "、无法通过补正解决的事项\n" + fixed;
  out += "\n" + std::string(kNumbers[section++]) + "、您的权利\n";
  out +=
      "本结果由系统依据公开的审批规则自动作出。依照《中华人民共和国个人信息保护法》第二十四条，您有权要求说明，"
      "并有权要求由工作人员对本结果进行人工复核；您可在区内任一镇街服务窗口（全区通办）或通过线上渠道提出。"
      "对行政许可决定不服的，可依法申请行政复议或者提起行政诉讼。\n";
  out += "\n规则包：" + d.pack.name + " " + d.pack.version + "（" + d.pack.hash + "）\n";
  return out;
}

}  // namespace miaopi
