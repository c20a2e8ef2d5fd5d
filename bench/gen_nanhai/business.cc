// The items for businesses: NH-B01 … NH-B05, each a clean application and its faults.
#include "bench/gen_nanhai/world.h"

namespace gen_nanhai {

namespace {

// NH-B01 个体工商户设立登记: a person opens a shop at a standard address
// they own (property certificate) or lease.
const char* kShopSuffixes[] = {"便利店", "五金店", "文具店", "商行", "日用品店"};

Case CleanB01(World& w) {
  const Town& town = DelegatedTown(w);
  Person op = w.NewPerson(w.Chance(70) ? "440605" : w.Any(kElsewhere), 20, 60);
  Firm shop = w.NewFirm(town, true, w.Any(kShopSuffixes));
  bool own = w.Chance(40);
  std::string cert = w.Serial("粤(2021)佛南不动产权第", 7) + "号";
  Json scope = A({O({{"code", "S-0001"}, {"text", "日用百货销售"}})});
  if (w.Chance(40)) scope.Push(O({{"code", "S-0002"}, {"text", "食品销售（仅销售预包装食品）"}}));
  if (w.Chance(30)) scope.Push(O({{"code", "S-0006"}, {"text", "五金产品零售"}}));
  Case c;
  c.app = O(
      {{"item", "NH-B01"},
       {"operator", O({{"id_no", op.id}, {"name", op.name}, {"phone", w.Phone()}})},
       {"composition", "individual"},
       {"family_members", A()},
       {"name", shop.name},
       {"premises", O({{"division", shop.division}, {"address", shop.address}, {"ownership", own ? "own" : "lease"}})},
       {"business_scope", scope},
       {"funds_cny", w.Between(1, 50) * 10000},
       {"employees", w.Between(0, 8)},
       {"hukou", O({{"birth_date", op.birth}, {"family_same_household", true}})},
       {"registry", O({{"name_exists", false}, {"address_usage_count", w.Between(0, 3)}})},
       {"data_sources", DataSources({"hukou", "registry"})}});
  if (own) {
    c.app.At("premises/property_cert_no") = cert;
  } else {
    c.app.At("premises/lease_file_id") = w.Serial("ZL-", 6);
  }
  if (w.Chance(20)) {
    Person spouse = w.NanhaiPerson(20, 60);
    c.app.At("composition") = "family";
    c.app.At("family_members") = A({O({{"id_no", spouse.id}, {"name", spouse.name}})});
  }
  c.subject = Subject("natural_person", op.id, "sms");
  c.town = town.code;
  c.licences.push_back(IdCard(w, op));
  if (own) {
    c.licences.push_back(O({{"type", "property_certificate"},
                            {"number", cert},
                            {"holder", Holder(op.id, "natural_person", op.name)},
                            {"status", "valid"},
                            {"issued", w.DaysAgo(w.Between(300, 4000))},
                            {"issuer", "佛山市南海区不动产登记中心"},
                            {"fields", O({{"address", shop.address}, {"division", shop.division}})}}));
  }
  return c;
}

std::vector<Fault> FaultsB01() {
  std::vector<Fault> f = CommonFaults("sms", "name", true, true);
  f.push_back({"a 17-year-old operator", "review", "R01B", [](World& w, Case& c) {
                 Person p = w.NanhaiPerson(16, 17);
                 c.app.At("operator/id_no") = p.id;
                 c.app.At("hukou/birth_date") = p.birth;
                 c.subject.At("id") = p.id;
                 c.licences[0] = IdCard(w, p);
                 if (c.licences.size() > 1) c.licences[1].At("holder/id") = p.id;
               }});
  f.push_back({"premises in Chancheng", "reject", "R02",
               [](World&, Case& c) { c.app.At("premises/division") = "440604010000"; }});
  f.push_back({"an address not in the standard address library", "review", "R03",
               [](World&, Case& c) { c.app.At("premises/address") = "某村某巷7号之二"; }});
  auto scope = [](const char* code, const char* text) {
    return [=](World&, Case& c) { c.app.At("business_scope").Push(O({{"code", code}, {"text", text}})); };
  };
  f.push_back({"a scope outside the catalogue", "review", "R04", scope("S-9999", "网红产品带货")});
  f.push_back({"courier services: for companies only", "reject", "R05", scope("S-0003", "快递服务")});
  f.push_back({"pharmacy: needs the permit first", "review", "R06", scope("S-0004", "药品零售")});
  f.push_back({"a prohibited word in the name", "reject", "R08", [](World&, Case& c) {
                 c.app.At("name") =
                     "佛山市南海区中国" + c.app.At("name").Str().substr(std::string("佛山市南海区").size());
               }});
  f.push_back({"the name is already registered", "review", "R09",
               [](World&, Case& c) { c.app.At("registry/name_exists") = true; }});
  f.push_back({"the operator is a dishonest judgment debtor", "review", "R10", [](World& w, Case& c) {
                 // tables/credit_dishonest_debtors.csv
                 Person p{"440605196006060033", "何某", "1960-06-06", true};
                 c.app.At("operator") = O({{"id_no", p.id}, {"name", p.name}, {"phone", w.Phone()}});
                 c.app.At("hukou/birth_date") = p.birth;
                 c.subject.At("id") = p.id;
                 c.licences.resize(1);
                 c.licences[0] = IdCard(w, p);
                 c.app.At("premises/ownership") = "lease";
                 c.app.Erase("premises/property_cert_no");
                 c.app.At("premises/lease_file_id") = "ZL-DEBTOR";
               }});
  f.push_back({"six firms already at the address", "review", "R11",
               [](World&, Case& c) { c.app.At("registry/address_usage_count") = 6; }});
  f.push_back({"a family business the household register does not confirm", "review", "R12", [](World& w, Case& c) {
                 Person spouse = w.NanhaiPerson(20, 60);
                 c.app.At("composition") = "family";
                 c.app.At("family_members") = A({O({{"id_no", spouse.id}, {"name", spouse.name}})});
                 c.app.At("hukou/family_same_household") = false;
               }});
  f.push_back({"a property certificate of someone else", "review", "R13", [](World& w, Case& c) {
                 std::string cert = w.Serial("粤(2019)佛南不动产权第", 7) + "号";
                 c.app.At("premises/ownership") = "own";
                 c.app.Erase("premises/lease_file_id");
                 c.app.At("premises/property_cert_no") = cert;
                 Person owner = w.NanhaiPerson(40, 70);
                 c.licences.resize(1);
                 c.licences.push_back(O({{"type", "property_certificate"},
                                         {"number", cert},
                                         {"holder", Holder(owner.id, "natural_person", owner.name)},
                                         {"status", "valid"},
                                         {"issued", "2019-04-01"},
                                         {"issuer", "佛山市南海区不动产登记中心"},
                                         {"fields", O({{"address", c.app.At("premises/address").Str()},
                                                       {"division", c.app.At("premises/division").Str()}})}}));
               }});
  f.push_back({"a family member's ID number with a wrong check digit", "reject", "G03", [](World& w, Case& c) {
                 std::string id = w.NanhaiPerson(20, 60).id;
                 id.back() = id.back() == '0' ? '1' : '0';
                 c.app.At("composition") = "family";
                 c.app.At("family_members") = A({O({{"id_no", id}, {"name", "某某"}})});
               }});
  return f;
}

// NH-B02 仅销售预包装食品备案: a firm whose business licence lists
// prepackaged food sales files before it starts selling.
Case CleanB02(World& w) {
  const Town& town = DelegatedTown(w);
  Firm shop = w.NewFirm(town, w.Chance(70), w.Any(kShopSuffixes));
  Person manager = w.Chance(50) ? shop.rep : w.NanhaiPerson(22, 55);
  Case c;
  c.app = O({{"item", "NH-B02"},
             {"entity", O({{"uscc", shop.uscc}, {"name", shop.name}})},
             {"premises", O({{"division", shop.division}, {"address", shop.address}})},
             {"categories", A({"prepackaged"})},
             {"special_foods", A()},
             {"cold_chain", false},
             {"online_sales", w.Chance(30)},
             {"food_safety_manager", O({{"id_no", manager.id}, {"name", manager.name}})},
             {"data_sources", DataSources({"market_registry"})}});
  c.subject = Subject("legal_person", shop.uscc, w.Chance(50) ? "password" : "sms");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, shop, {"日用百货销售", "食品销售（仅销售预包装食品）"}));
  return c;
}

std::vector<Fault> FaultsB02() {
  std::vector<Fault> f = CommonFaults("password", "premises/address", false, true);
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], true, "商行").uscc; }});
  f.push_back(
      {"a revoked business licence", "reject", "R02", [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"food sales not in the registered scope", "reject", "R03",
               [](World&, Case& c) { c.licences[0].At("fields/scope") = A({"日用百货销售"}); }});
  f.push_back({"premises in Sanshui", "reject", "R04",
               [](World&, Case& c) { c.app.At("premises/division") = "440607001000"; }});
  f.push_back(
      {"already holds a food business permit", "reject", "R05", [](World& w, Case& c) {
         std::string uscc = c.app.At("entity/uscc").Str();
         c.licences.push_back(
             O({{"type", "food_permit"},
                {"number", w.Serial("JY1440605", 7)},
                {"holder", Holder(uscc, "legal_person", c.app.At("entity/name").Str())},
                {"status", "valid"},
                {"issued", w.DaysAgo(400)},
                {"expires", w.Day(w.today() + 1400)},
                {"issuer", "佛山市南海区市场监督管理局"},
                {"fields", O({{"items", A({"预包装食品销售"})}, {"premises", c.app.At("premises/address").Str()}})}}));
       }});
  f.push_back({"a food safety manager banned from the trade", "reject", "R06", [](World&, Case& c) {
                 // tables/food_banned_persons.csv
                 c.app.At("food_safety_manager") = O({{"id_no", "440605197511110016"}, {"name", "某某"}});
               }});
  f.push_back({"infant formula on the shelves", "review", "R07",
               [](World&, Case& c) { c.app.At("special_foods") = A({"婴幼儿配方乳粉"}); }});
  f.push_back(
      {"frozen food in the cold chain", "review", "R08", [](World&, Case& c) { c.app.At("cold_chain") = true; }});
  f.push_back({"a firm on the serious-dishonesty list", "review", "R09", [](World& w, Case& c) {
                 // tables/credit_serious_dishonest.csv
                 Firm& listed = w.Listed("92440605MA55AB0C3L", kTowns[0], "便利店");
                 c.app.At("entity") = O({{"uscc", listed.uscc}, {"name", listed.name}});
                 c.app.At("premises") = O({{"division", listed.division}, {"address", listed.address}});
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"日用百货销售", "食品销售（仅销售预包装食品）"});
               }});
  f.push_back({"a credit code with a wrong check character", "reject", "G03", [](World&, Case& c) {
                 std::string uscc = c.app.At("entity/uscc").Str();
                 uscc.back() = uscc.back() == '0' ? '1' : '0';
                 c.app.At("entity/uscc") = uscc;
                 c.subject.At("id") = uscc;
               }});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-B03 食品经营许可延续: a permit holder renews one to six months before
// expiry with nothing changed.
Json FoodPermit(World& w, const Firm& f, const std::string& number, std::vector<Json> items) {
  int32_t expires = w.today() + w.Between(40, 180);
  return O({{"type", "food_permit"},
            {"number", number},
            {"holder", Holder(f.uscc, "legal_person", f.name)},
            {"status", "valid"},
            {"issued", w.Day(*dsl::AddMonths(expires, -60))},
            {"expires", w.Day(expires)},
            {"issuer", "佛山市南海区市场监督管理局"},
            {"fields", O({{"items", A(std::move(items))}, {"premises", f.address}})}});
}

Case CleanB03(World& w) {
  const Town& town = DelegatedTown(w);
  Firm f = w.NewFirm(town, w.Chance(50), w.Chance(50) ? "食品商行" : "餐饮店");
  std::string permit = w.Serial("JY1440605", 7);
  Case c;
  c.app = O({{"item", "NH-B03"},
             {"entity", O({{"uscc", f.uscc}})},
             {"permit_no", permit},
             {"declare_no_change", O({{"premises", true}, {"layout", true}, {"equipment", true}, {"items", true}})},
             {"contact", O({{"name", f.rep.name}, {"phone", w.Phone()}})},
             {"data_sources", DataSources({"permits"})}});
  c.subject = Subject("legal_person", f.uscc, "password");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, f, {"食品销售", "餐饮服务"}));
  c.licences.push_back(FoodPermit(
      w, f, permit,
      w.Chance(50) ? std::vector<Json>{"预包装食品销售"} : std::vector<Json>{"预包装食品销售", "热食类食品制售"}));
  return c;
}

std::vector<Fault> FaultsB03() {
  std::vector<Fault> f = CommonFaults("password", "contact/phone", false, true);
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], true, "商行").uscc; }});
  f.push_back({"a revoked permit", "reject", "R03", [](World&, Case& c) { c.licences[1].At("status") = "revoked"; }});
  f.push_back({"less than 30 days before expiry", "review", "R05",
               [](World& w, Case& c) { c.licences[1].At("expires") = w.Day(w.today() + w.Between(1, 25)); }});
  f.push_back({"the kitchen was rebuilt", "review", "R06",
               [](World&, Case& c) { c.app.At("declare_no_change/layout") = false; }});
  f.push_back(
      {"a revoked business licence", "reject", "R07", [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"a serious food-safety penalty during the permit", "review", "R08", [](World& w, Case& c) {
                 // tables/food_penalties.csv
                 Firm& listed = w.Listed("91440605MA4WXY1297", kTowns[4], "食品有限公司");
                 std::string permit = c.app.At("permit_no").Str();
                 c.app.At("entity/uscc") = listed.uscc;
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"食品销售"});
                 c.licences[1] = FoodPermit(w, listed, permit, {"预包装食品销售"});
               }});
  f.push_back({"a firm on the serious-dishonesty list", "review", "R09", [](World& w, Case& c) {
                 // tables/credit_serious_dishonest.csv
                 Firm& listed = w.Listed("91440605MA55AB0C3P", kTowns[5], "食品有限公司");
                 std::string permit = c.app.At("permit_no").Str();
                 c.app.At("entity/uscc") = listed.uscc;
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"食品销售"});
                 c.licences[1] = FoodPermit(w, listed, permit, {"预包装食品销售"});
               }});
  f.push_back({"decorated cakes made on site", "review", "R10", [](World&, Case& c) {
                 c.licences[1].At("fields/items") = A({"预包装食品销售", "自制裱花蛋糕"});
               }});
  f.push_back({"another firm's permit number", "review", "G07", [](World& w, Case& c) {
                 Firm other = w.NewFirm(kTowns[4], false, "食品有限公司");
                 c.licences[1].At("holder") = Holder(other.uscc, "legal_person", other.name);
               }});
  f.push_back({"a permit that already expired", "review", "G07",
               [](World& w, Case& c) { c.licences[1].At("expires") = w.DaysAgo(w.Between(1, 60)); }});
  f.push_back({"a malformed permit number", "reject", "G03",
               [](World&, Case& c) { c.app.At("permit_no") = "JY" + c.app.At("permit_no").Str().substr(2, 10); }});
  return f;
}

// NH-B04 招牌设置: a wall sign with the shop's name at its registered
// premises on a road where signs are allowed.
Case CleanB04(World& w) {
  const Town* town = nullptr;
  do {
    town = &DelegatedTown(w, kLishui);
  } while (!*town->segment);
  Firm shop = w.NewFirm(*town, w.Chance(70), w.Any(kShopSuffixes));
  double width = w.Between(20, 45) / 10.0, height = w.Between(6, 9) / 10.0;
  Case c;
  c.app = O({{"item", "NH-B04"},
             {"entity", O({{"uscc", shop.uscc}, {"name", shop.name}})},
             {"site", O({{"division", shop.division}, {"road_segment_id", town->segment}, {"address", shop.address}})},
             {"sign", O({{"text", shop.trade},
                         {"type", "wall"},
                         {"width_m", width},
                         {"height_m", height},
                         {"area_m2", static_cast<double>(static_cast<int>(width * height * 100 + 0.5)) / 100},
                         {"height_above_ground_m", w.Between(25, 45) / 10.0},
                         {"illuminated", town->segment_lit && w.Chance(50)},
                         {"count", 1}})},
             {"building_owner_consent_file", w.Serial("f-", 5)},
             {"register", O({{"existing_sign_at_premises", false}})},
             {"data_sources", DataSources({"sign_register"})}});
  c.subject = Subject("legal_person", shop.uscc, "password");
  c.town = town->code;
  c.licences.push_back(BusinessLicence(w, shop, {"日用百货销售"}));
  return c;
}

std::vector<Fault> FaultsB04() {
  std::vector<Fault> f = CommonFaults("password", "sign/text", false, true);
  f.push_back({"handled in Lishui, whose delegation ran out", "review", "G05",
               [](World&, Case& c) { c.town = kTowns[kLishui].code; }});
  f.push_back({"the firm's licence was revoked", "reject", "R01",
               [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"a sign at another address", "review", "R02",
               [](World&, Case& c) { c.app.At("site/address") = c.app.At("site/address").Str() + "之一"; }});
  f.push_back({"an advertisement rather than the shop's name", "review", "R03",
               [](World&, Case& c) { c.app.At("sign/text") = "全场五折"; }});
  f.push_back(
      {"a site in Chancheng", "reject", "R04", [](World&, Case& c) { c.app.At("site/division") = "440604010000"; }});
  f.push_back({"a road where signs are prohibited", "reject", "R05",
               [](World&, Case& c) { c.app.At("site/road_segment_id") = "XQ-SX-004"; }});
  f.push_back({"a strictly controlled road", "review", "R06", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "GC-NHDDB-002";
                 c.app.At("sign/illuminated") = false;
                 c.app.At("sign/area_m2") = 2.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"a rooftop sign", "review", "R07", [](World&, Case& c) { c.app.At("sign/type") = "rooftop"; }});
  f.push_back({"a sign larger than the zone allows", "review", "R08",
               [](World&, Case& c) { c.app.At("sign/area_m2") = 18.5; }});
  f.push_back({"a second sign at the premises", "review", "R09",
               [](World&, Case& c) { c.app.At("register/existing_sign_at_premises") = true; }});
  f.push_back({"a heritage control zone", "review", "R10", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "DL-GFL-003";
                 c.app.At("sign/illuminated") = false;
                 c.app.At("sign/area_m2") = 3.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"a lit sign on a road that allows none", "review", "R11", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "GC-NHDDB-006";
                 c.app.At("sign/illuminated") = true;
                 c.app.At("sign/area_m2") = 3.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-B05 企业投资项目备案: a firm files a project of an ordinary industry in
// a Nanhai industrial area.
struct Project {
  const char* code;
  const char* name;
  const char* scale;
};
const Project kProjects[] = {
    {"C3252", "铝型材深加工生产线建设项目", "新建厂房1万平方米，购置挤压、氧化生产设备50台（套）"},
    {"C3511", "智能矿山机械生产基地项目", "建设装配车间2栋，购置数控加工设备80台（套）"},
    {"C3130", "精密钢材压延技术改造项目", "改造现有生产线3条，新增冷轧设备12台（套）"},
    {"I6510", "工业软件研发中心建设项目", "装修研发办公场地5000平方米，购置服务器及研发设备"},
};

Case CleanB05(World& w) {
  const Town& town = DelegatedTown(w);
  Firm firm = w.NewFirm(town, false, "实业有限公司");
  const Project& p = w.Any(kProjects);
  int total = w.Between(5, 800) * 10;
  int start = w.year() + w.Pick(2);
  Case c;
  c.app = O({{"item", "NH-B05"},
             {"entity", O({{"uscc", firm.uscc}, {"name", firm.name}})},
             {"project", O({{"name", std::string(town.name) + p.name},
                            {"type", w.Chance(60) ? "new" : "expansion"},
                            {"location", O({{"division", firm.division}, {"address", firm.address}})},
                            {"industry_code", p.code},
                            {"content_scale", p.scale},
                            {"total_investment_wan", total},
                            {"fixed_asset_investment_wan", total * w.Between(50, 95) / 100},
                            {"start_year", start},
                            {"end_year", start + w.Pick(3)},
                            {"foreign_invested", false},
                            {"government_funds", false}})},
             {"policy_declaration_signed", true},
             {"data_sources", DataSources({"investment_platform"})}});
  c.subject = Subject("legal_person", firm.uscc, w.Chance(50) ? "sms" : "face");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, firm, {"金属制品制造", "技术开发"}));
  return c;
}

std::vector<Fault> FaultsB05() {
  std::vector<Fault> f = CommonFaults("sms", "project/name", false, false);
  auto set = [](const char* path, Json value) { return [=](World&, Case& c) { c.app.At(path) = value; }; };
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], false, "有限公司").uscc; }});
  f.push_back({"a project in Shunde", "reject", "R02", set("project/location/division", "440606003000")});
  f.push_back({"an industry code that does not exist", "reject", "R03", set("project/industry_code", "C9999")});
  f.push_back({"a power station: needs approval, not filing", "reject", "R04", set("project/industry_code", "D4411")});
  f.push_back({"an eliminated industry", "reject", "R05", set("project/industry_code", "C3110")});
  f.push_back({"a restricted industry", "review", "R06", set("project/industry_code", "C2511")});
  f.push_back({"fixed assets above the total", "reject", "R07", [](World&, Case& c) {
                 c.app.At("project/fixed_asset_investment_wan") = 9000;
                 c.app.At("project/total_investment_wan") = 8000;
               }});
  f.push_back({"a start year in the past", "reject", "R08",
               [](World& w, Case& c) { c.app.At("project/start_year") = w.year() - 1; }});
  f.push_back({"the policy declaration unsigned", "reject", "R09", set("policy_declaration_signed", false)});
  f.push_back({"a foreign-invested project", "review", "R10", set("project/foreign_invested", true)});
  f.push_back({"a ten-billion project", "review", "R11", [](World&, Case& c) {
                 c.app.At("project/total_investment_wan") = 120000;
                 c.app.At("project/fixed_asset_investment_wan") = 100000;
               }});
  f.push_back({"government funds requested", "review", "R12", set("project/government_funds", true)});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

}  // namespace

std::vector<Item> BusinessItems() {
  return {
      {"NH-B01", 14, CleanB01, FaultsB01()}, {"NH-B02", 11, CleanB02, FaultsB02()},
      {"NH-B03", 8, CleanB03, FaultsB03()},  {"NH-B04", 8, CleanB04, FaultsB04()},
      {"NH-B05", 8, CleanB05, FaultsB05()},
  };
}

}  // namespace gen_nanhai
