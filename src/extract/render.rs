//! The draft as a plan file: the canonical export (`plan::file::export_plan`) with
//! TOML comments — a head saying what to check, and `# review: …` lines above each
//! target that needs a look. Comments do not change what the file loads.

use super::Draft;
use crate::plan::file::export_plan;

/// The plan file text of a draft. `from` names the report in the head comment. Every
/// field of a target, `strive`, `change` and `baseline` among them, is written by the
/// plan exporter, so the draft loads as the plan `extract` drafted.
pub fn render(draft: &Draft, from: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("# Draft plan drafted by `ontrack extract` from {}.\n", one_line(from)));
    out.push_str(
        "# Check every target against the report before `ontrack plan import`: kind, cmp,\n\
         # value and unit are read from the wording; names, codes and sections are drafts;\n\
         # frequency (quarter; year for R&D) and measure are defaults; lead_unit is not set.\n",
    );
    let flagged = draft.reviews.iter().filter(|r| !r.is_empty()).count();
    out.push_str(&format!("# {} targets, {flagged} marked `# review:` below.\n", draft.plan.targets().len()));
    for note in &draft.notes {
        out.push_str(&format!("# note: {}\n", one_line(&note.en)));
    }
    out.push('\n');
    let exported = export_plan(&draft.plan);
    let mut pieces = exported.split("\n[[targets]]\n");
    out.push_str(pieces.next().unwrap_or_default());
    for (piece, reviews) in pieces.zip(&draft.reviews) {
        out.push('\n');
        for review in reviews {
            out.push_str(&format!("# review: {}\n", one_line(review)));
        }
        out.push_str("[[targets]]\n");
        out.push_str(piece);
    }
    out
}

/// A comment must stay on its line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract, Options};
    use crate::plan::file::parse_plan;

    #[test]
    fn the_draft_file_loads_as_the_draft_plan() {
        let text = "测试区2021年政府工作报告\n主要预期目标\n地区生产总值增长7%左右\n\
                    居民人均可支配收入增长与经济增长同步\n一、城市建设\n年底前建成通车测试路立交。";
        let draft = extract(text, &Options::default()).unwrap();
        let file = render(&draft, "report.txt\nwith a newline");
        let plan = parse_plan(&file, "draft.toml").unwrap();
        assert_eq!(plan, draft.plan);
        assert!(file.starts_with("# Draft plan drafted by `ontrack extract` from report.txt with a newline.\n"));
        assert!(file.contains("# note: year 2021 guessed from the text"), "{file}");
        assert!(file.contains("# review: milestone without a figure"), "{file}");
        assert!(file.contains("# review: keeps in step with gdp-growth"), "{file}");
        assert_eq!(file.matches("[[targets]]").count(), 3, "{file}");
    }

    /// Pieces of report prose, headings and distractors, shuffled into texts.
    const PIECES: &[&str] = &[
        "地区生产总值增长6.5%左右",
        "增长",
        "12",
        "3.5",
        "%",
        "左右",
        "以内",
        "以上",
        "突破",
        "不少于",
        "控制在",
        "个",
        "家",
        "条",
        "亿元",
        "万平方米",
        "、",
        "，",
        "。",
        "；",
        "：",
        "\n",
        " ",
        "一、",
        "（一）",
        "A\n",
        "【产业】",
        "主要预期目标",
        "解读\n",
        "年底前",
        "上半年",
        "3月底前",
        "2020年",
        "2019年",
        "到2025年",
        "建成通车",
        "立交",
        "实现",
        "全覆盖",
        "与经济增长同步",
        "居民收入增长",
        "保持正增长",
        "确保",
        "力争",
        "分别达到",
        "等三个",
        "领域",
        "第7位",
        "6号线",
        "5G",
        "的",
        "下降",
        "比重",
        "失业率",
        "惠及",
        "测试区",
        "过去一年",
        "150%",
        "覆盖率达到",
        "“",
        "”",
        "(",
        ")",
        "１２",
        "％",
        "—",
        "-",
        "万",
        "1.",
        "至",
    ];

    proptest::proptest! {
        /// Whatever the text, extraction does not panic, and a draft renders to a
        /// file that loads as the same plan.
        #[test]
        fn any_text_gives_a_loadable_draft_or_a_clear_error(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let options = Options { org: Some("测试区".to_string()), year: Some(2020) };
            if let Ok(draft) = extract(&text, &options) {
                let file = render(&draft, "report.txt");
                let plan = parse_plan(&file, "draft.toml").unwrap_or_else(|e| panic!("{e}\n{text}\n{file}"));
                proptest::prop_assert_eq!(plan, draft.plan);
            }
            let _ = extract(&text, &Options::default());
        }
    }
}
