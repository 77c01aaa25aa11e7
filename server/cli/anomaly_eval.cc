// flk anomaly eval: every detector on the labeled benchmarks of data/anomaly (NAB, SMD, ASD),
// with thresholds learned from training rows only, reported point-wise and point-adjusted.
//   SMD, ASD: fit on <entity>.train.csv.gz, score <entity>.test.csv.gz, labels <entity>.test_label.txt.
//   NAB: fit on the probationary period (the first min(15 %, 750) rows), score the whole file
//        as one stream, evaluate the rows after the probationary period; a row is anomalous when
//        its timestamp lies inside a labeled window (inclusive).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "anomaly_runner.h"
#include "commands.h"
#include "facade/batch.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::cli {
namespace {

struct Series {
  std::string name;
  std::string train_path, test_path;  // same file for NAB
  size_t train_rows = 0;              // NAB: rows of the probationary period
  std::vector<bool> labels;           // per evaluated row
  size_t eval_begin = 0;              // first evaluated row of the test file
  std::string order = "strict";
};

struct Bench {
  std::string name;
  std::vector<Series> series;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string default_data_dir() {
  const char* shared = std::getenv("FLK_SHARED_DIR");
  return std::string(shared && *shared ? shared : "../shared") + "/data/anomaly";
}

bool read_lines(const std::string& path, std::vector<std::string>& lines) {
  std::string text;
  if (!read_file(path, text)) return false;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return true;
}

// Entities listed in the first column of <dir>/entities.csv.
Result<Bench> server_bench(const std::string& dir, const std::string& name) {
  Bench b;
  b.name = name;
  std::vector<std::string> lines;
  if (!read_lines(dir + "/entities.csv", lines))
    return io_error("read", dir + "/entities.csv");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    Series s;
    s.name = lines[i].substr(0, lines[i].find(','));
    s.train_path = dir + "/" + s.name + ".train.csv.gz";
    s.test_path = dir + "/" + s.name + ".test.csv.gz";
    std::vector<std::string> labels;
    const std::string label_path = dir + "/" + s.name + ".test_label.txt";
    if (!read_lines(label_path, labels)) return io_error("read", label_path);
    for (const auto& l : labels)
      if (!l.empty()) s.labels.push_back(l == "1");
    b.series.push_back(std::move(s));
  }
  return b;
}

Result<Bench> nab_bench(const std::string& dir) {
  Bench b;
  b.name = "nab";
  std::vector<std::string> lines;
  if (!read_lines(dir + "/series.csv", lines)) return io_error("read", dir + "/series.csv");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    Series s;
    s.name = lines[i].substr(0, lines[i].find(','));
    s.train_path = s.test_path = dir + "/data/" + s.name;
    s.order = "keep";  // NAB has real duplicate and backward timestamps (see its README)
    b.series.push_back(std::move(s));
  }
  return b;
}

// The labeled windows of one NAB file as [start, end] pairs in seconds.
Result<std::vector<std::pair<double, double>>> nab_windows(const json::Value& windows, const std::string& name) {
  const json::Value* w = windows.find(name);
  if (!w || !w->is_array()) return make_error("not_found", "no labeled windows for " + name);
  std::vector<std::pair<double, double>> out;
  for (const json::Value& win : w->as_array()) {
    double a = 0, e = 0;
    if (!win.is_array() || win.as_array().size() != 2 || !win.as_array()[0].is_string() ||
        !win.as_array()[1].is_string() || !parse_timestamp(win.as_array()[0].as_string(), a) ||
        !parse_timestamp(win.as_array()[1].as_string(), e))
      return make_error("bad_csv", "unreadable labeled window for " + name);
    out.emplace_back(a, e);
  }
  return out;
}

struct SeriesResult {
  std::string name;
  json::Value metrics;  // anomaly.evaluate output
  double fit_s = 0, score_s = 0;
};

// The detectors by name. ae, vae and iforest use the shipped defaults; the two baselines are
// kept plain: a rolling z-score (max over metrics of |x - mean| / std of the previous 16 rows,
// no smoothing) and an isolation forest on the raw values alone (no windows, no clipping, no
// smoothing; an isolation forest does not depend on the per-feature scale).
json::Value baseline_options(const std::string& name) {
  json::Value o = json::Value::object();
  if (name == "zscore") {
    o.set("detector", "zscore").set("smooth", 1);
  } else if (name == "iforest-raw") {
    o.set("detector", "iforest").set("window", 0).set("deltas", false).set("smooth", 1).set("clip", 0);
  } else {
    o.set("detector", name);
  }
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

json::Value bools(const std::vector<bool>& xs, size_t begin) {
  json::Value a = json::Value::array();
  for (size_t i = begin; i < xs.size(); ++i) a.push(bool(xs[i]));
  return a;
}

double num(const json::Value& v, const char* a, const char* b) { return v.find(a)->find(b)->as_double(); }

// The score threshold at which a model would flag the same rows as a calibration at quantile p
// (one of the model's calibration levels): q_p / (q_p + q).
Result<double> level_threshold(const json::Value& model, const std::string& p_text) {
  const double p = std::strtod(p_text.c_str(), nullptr);
  const json::Value* cal = model.find("calibration");
  const double q = cal->find("q")->as_double();
  for (const json::Value& l : cal->find("levels")->as_array())
    if (l.as_array()[0].as_double() == p) {
      const double qp = l.as_array()[1].as_double();
      return qp > 0 ? qp / (qp + q) : 0.0;
    }
  return make_error("out_of_range", "--quantiles: " + p_text + " is not a calibration level of the model");
}

}  // namespace

int anomaly_eval(Engine& engine, const Parsed& p) {
  const std::string dir = p.has("data") ? p.get("data") : default_data_dir();
  const auto benches = split_list(p.get("bench"));
  const auto detectors = split_list(p.get("detectors"));
  const size_t limit = static_cast<size_t>(p.integer("limit"));
  json::Value extra = json::Value::object();
  if (p.has("options")) {
    auto parsed = json::parse(p.get("options"));
    if (!parsed.ok() || !parsed->is_object()) return bad_value(p, "options", "a JSON object", p.get("options"));
    extra = std::move(parsed.value());
  }
  const bool quiet = p.has("quiet"), per_series = p.has("per-series");
  // Each detector is reported at its own threshold and, with --quantiles, at the thresholds that
  // other calibration quantiles of the same fit give ("ae@0.99").
  std::vector<std::string> quantiles = split_list(p.get("quantiles"));
  std::vector<std::string> variants;
  for (const auto& d : detectors) {
    variants.push_back(d);
    for (const auto& q : quantiles) variants.push_back(d + "@" + q);
  }

  json::Value report = json::Value::object();
  std::string table =
      "| benchmark | detector | series | precision | recall | F1 (point-wise) | F1-PA (point-adjusted) | pooled F1 "
      "| segments found | fit s | score s |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
      "---: |\n";
  for (const std::string& bname : benches) {
    Result<Bench> bench = bname == "nab" ? nab_bench(dir + "/nab")
                          : (bname == "smd" || bname == "asd") ? server_bench(dir + "/" + bname, bname)
                                                                : Result<Bench>(make_error("out_of_range", "unknown benchmark " + bname));
    if (!bench.ok()) return report_error(bench.error(), "", 0);
    json::Value nab_w;
    if (bname == "nab") {
      std::string wtext;
      const std::string windows = dir + "/nab/labels/combined_windows.json";
      if (!read_file(windows, wtext)) return io_failure("read", windows);
      auto parsed = json::parse(wtext);
      if (!parsed.ok()) return report_error(parsed.error(), "", 0);
      nab_w = std::move(parsed.value());
    }
    if (limit && bench->series.size() > limit) bench->series.resize(limit);
    std::vector<std::vector<SeriesResult>> results(variants.size());
    for (Series& s : bench->series) {
      auto train = read_csv_table(s.train_path);
      if (!train.ok()) return report_error(train.error(), "", 0);
      Result<CsvTable> test_r = s.test_path == s.train_path ? train : read_csv_table(s.test_path);
      if (!test_r.ok()) return report_error(test_r.error(), "", 0);
      const CsvTable& test = *test_r;
      size_t train_end = train->rows;
      if (bname == "nab") {
        train_end = std::min<size_t>(static_cast<size_t>(std::floor(0.15 * static_cast<double>(train->rows))), 750);
        s.eval_begin = train_end;
        auto wins = nab_windows(nab_w, s.name);
        if (!wins.ok()) return report_error(wins.error(), "", 0);
        s.labels.assign(test.rows, false);
        for (size_t i = 0; i < test.rows; ++i)
          for (const auto& w : *wins)
            if (test.times[i] >= w.first && test.times[i] <= w.second) s.labels[i] = true;
      }
      if (s.labels.size() != test.rows)
        return report_error(make_error("bad_length", s.name + ": " + std::to_string(s.labels.size()) + " labels for " +
                                                         std::to_string(test.rows) + " test rows"), "", 0);
      for (size_t d = 0; d < detectors.size(); ++d) {
        FitRequest req;
        req.options = baseline_options(detectors[d]);
        for (const auto& kv : extra.as_object()) req.options.set(kv.first, kv.second);
        req.order = s.order;
        req.progress = false;
        const auto t0 = std::chrono::steady_clock::now();
        auto model = fit_rows(engine, *train, 0, train_end, req);
        if (!model.ok()) return report_error(model.error(), s.train_path, 0);
        SeriesResult sr;
        sr.name = s.name;
        sr.fit_s = seconds_since(t0);
        const auto t1 = std::chrono::steady_clock::now();
        auto scored = score_rows(engine, *model, test, 0, test.rows, s.order);
        if (!scored.ok()) return report_error(scored.error(), s.test_path, 0);
        sr.score_s = seconds_since(t1);
        for (size_t k = 0; k <= quantiles.size(); ++k) {
          SeriesResult vr = sr;
          json::Value ev = json::Value::object();
          ev.set("labels", bools(s.labels, s.eval_begin));
          if (k == 0) {
            ev.set("flags", bools(scored->flags, s.eval_begin));
          } else {
            auto th = level_threshold(*model, quantiles[k - 1]);
            if (!th.ok()) return report_error(th.error(), "", 0);
            json::Value sc = json::Value::array();
            for (size_t i = s.eval_begin; i < scored->scores.size(); ++i) sc.push(scored->scores[i]);
            ev.set("scores", std::move(sc)).set("threshold", *th);
          }
          auto m = engine.call_value("anomaly.evaluate", ev);
          if (!m.ok()) return report_error(m.error(), "", 0);
          vr.metrics = std::move(m.value());
          const std::string& vname = variants[d * (quantiles.size() + 1) + k];
          if (!quiet)
            std::fprintf(stderr, "%s %-12s %-50s F1 %.3f  F1-PA %.3f  (%.1f s + %.1f s)\n", bname.c_str(),
                         vname.c_str(), s.name.c_str(), num(vr.metrics, "pointwise", "f1"),
                         num(vr.metrics, "point_adjusted", "f1"), vr.fit_s, vr.score_s);
          results[d * (quantiles.size() + 1) + k].push_back(std::move(vr));
        }
      }
    }
    json::Value bjson = json::Value::object();
    for (size_t d = 0; d < variants.size(); ++d) {
      double p = 0, r = 0, f1 = 0, pa = 0, fit_s = 0, score_s = 0;
      double tp = 0, fp = 0, fn = 0;
      int64_t segs = 0, found = 0;
      json::Value list = json::Value::array();
      for (const SeriesResult& sr : results[d]) {
        p += num(sr.metrics, "pointwise", "precision");
        r += num(sr.metrics, "pointwise", "recall");
        f1 += num(sr.metrics, "pointwise", "f1");
        pa += num(sr.metrics, "point_adjusted", "f1");
        tp += num(sr.metrics, "pointwise", "tp");
        fp += num(sr.metrics, "pointwise", "fp");
        fn += num(sr.metrics, "pointwise", "fn");
        segs += sr.metrics.find("segments")->as_int();
        found += sr.metrics.find("segments_detected")->as_int();
        fit_s += sr.fit_s;
        score_s += sr.score_s;
        json::Value e = sr.metrics;
        e.set("name", sr.name).set("fit_seconds", sr.fit_s).set("score_seconds", sr.score_s);
        list.push(std::move(e));
        if (per_series) {
          char line[512];
          std::snprintf(line, sizeof line, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | | %lld/%lld | %.1f | %.1f |\n",
                        bname.c_str(), variants[d].c_str(), sr.name.c_str(), num(sr.metrics, "pointwise", "precision"),
                        num(sr.metrics, "pointwise", "recall"), num(sr.metrics, "pointwise", "f1"),
                        num(sr.metrics, "point_adjusted", "f1"),
                        static_cast<long long>(sr.metrics.find("segments_detected")->as_int()),
                        static_cast<long long>(sr.metrics.find("segments")->as_int()), sr.fit_s, sr.score_s);
          table += line;
        }
      }
      const double n = static_cast<double>(results[d].size());
      const double pooled_p = tp + fp > 0 ? tp / (tp + fp) : 0, pooled_r = tp + fn > 0 ? tp / (tp + fn) : 0;
      const double pooled = pooled_p + pooled_r > 0 ? 2 * pooled_p * pooled_r / (pooled_p + pooled_r) : 0;
      char line[512];
      std::snprintf(line, sizeof line,
                    "| %s | %s | %zu | %.3f | %.3f | **%.3f** | %.3f | %.3f | %lld/%lld | %.1f | %.1f |\n",
                    bname.c_str(), variants[d].c_str(), results[d].size(), p / n, r / n, f1 / n, pa / n, pooled,
                    static_cast<long long>(found), static_cast<long long>(segs), fit_s, score_s);
      table += line;
      json::Value mean = json::Value::object();
      mean.set("precision", p / n).set("recall", r / n).set("f1", f1 / n).set("f1_point_adjusted", pa / n);
      mean.set("pooled_f1", pooled).set("segments", segs).set("segments_detected", found);
      json::Value dj = json::Value::object();
      dj.set("mean", std::move(mean)).set("series", std::move(list));
      bjson.set(variants[d], std::move(dj));
    }
    report.set(bname, std::move(bjson));
  }
  std::cout << "\nMeans over series; precision/recall are point-wise. F1-PA counts a labeled segment as found when "
               "any of its rows is flagged (inflated). Thresholds come from training rows only.\n\n"
            << table;
  if (p.has("json")) {
    report.set("options", extra).set("data", dir);
    if (!write_file(p.get("json"), json::to_string(report) + "\n")) return io_failure("write", p.get("json"));
  }
  return kExitOk;
}

}  // namespace flk::cli
