//! Surveys and feedback (SURVEY-*): answering is optional, every survey states its purpose,
//! answers are used only for feedback analysis, and free text is minimized like chat.
//!
//! A survey definition is checked before it is shown (SURVEY-01: it cannot be required;
//! SURVEY-02: it carries the purpose notice; SURVEY-05: free-text fields carry a
//! minimization hint, the default one if none is given). Answers are redacted
//! ([`super::chat::redact_pii`]), then written through the item path (`can_collect` from
//! `direct:feedback` for `feedback_analysis`, encrypted, 24-month retention from the policy).
//! Declining stores nothing and changes nothing else about the subject (non-retaliation).
//! Reads go through `read_item` with a purpose, and the engine refuses any purpose but
//! feedback analysis and service improvement (SURVEY-03).

use std::collections::BTreeMap;
use steward_errors::ErrorCode;

use steward_store::ids::SubjectId;
use steward_store::model::item::ItemRecord;
use steward_vault::Sensitive;

use super::chat::{Redactions, redact_pii};
use crate::error::CoreError;
use crate::items::ItemInput;
use crate::{Caller, Steward};

/// The hint shown by free-text fields unless the survey gives its own (SURVEY-05).
pub const DEFAULT_FREE_TEXT_HINT: &str = "Please do not include more personal information than \
     you need to: no card numbers, account passwords or government ids.";

/// A survey as the company defines it.
#[derive(Debug, Clone, Default)]
pub struct SurveyDefinition {
    /// Its id.
    pub id: String,
    /// The purpose notice shown with it (SURVEY-02).
    pub notice: Option<String>,
    /// Must be `false`: answering is optional (SURVEY-01).
    pub required: bool,
    /// The minimization hint of free-text fields (SURVEY-05).
    pub free_text_hint: Option<String>,
}

/// A survey ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyForm {
    /// Its id.
    pub id: String,
    /// The purpose notice.
    pub notice: String,
    /// Always `true`.
    pub optional: bool,
    /// The hint of free-text fields.
    pub free_text_hint: String,
}

/// Check a survey before it is published (SURVEY-01, -02, -05).
///
/// # Errors
/// `Invalid(SURVEY_CANNOT_BE_REQUIRED)`, `Invalid(NOTICE_REQUIRED)`.
pub fn publish_survey(def: &SurveyDefinition) -> Result<SurveyForm, CoreError> {
    if def.required {
        return Err(CoreError::invalid(
            ErrorCode::SurveyCannotBeRequired,
            "answering any survey is optional (SURVEY-01)",
        ));
    }
    let notice = def
        .notice
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            CoreError::invalid(
                ErrorCode::NoticeRequired,
                "a survey states that answers are combined with other customers' to improve the services (SURVEY-02)",
            )
        })?;
    Ok(SurveyForm {
        id: def.id.clone(),
        notice: notice.to_string(),
        optional: true,
        free_text_hint: def
            .free_text_hint
            .clone()
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_FREE_TEXT_HINT.to_string()),
    })
}

/// Answers to store.
#[derive(Debug, Clone)]
pub struct SurveyAnswers {
    /// Who answered.
    pub subject: SubjectId,
    /// The survey.
    pub survey: SurveyDefinition,
    /// Question id → answer.
    pub answers: BTreeMap<String, String>,
}

impl Steward {
    /// Store survey answers (see the module docs). Empty answers store nothing (a decline).
    ///
    /// # Errors
    /// As [`publish_survey`], `Denied`, `Erased`.
    pub async fn store_survey_answers(
        &self,
        caller: &Caller,
        input: SurveyAnswers,
    ) -> Result<Option<(ItemRecord, Redactions)>, CoreError> {
        let form = publish_survey(&input.survey)?;
        if input.answers.is_empty() {
            return Ok(None);
        }
        let mut total = Redactions::default();
        let mut answers = BTreeMap::new();
        for (q, a) in &input.answers {
            let (text, r) = redact_pii(a);
            total.add(r);
            answers.insert(q.clone(), text);
        }
        let body = serde_json::to_vec(&serde_json::json!({
            "survey": form.id,
            "answers": answers,
        }))
        .map_err(|e| CoreError::invalid(ErrorCode::BadAnswer, e.to_string()))?;
        let (item, _) = self
            .write_item(
                caller,
                ItemInput {
                    subject: input.subject,
                    category: "survey_answer".into(),
                    value: Sensitive::new(body),
                    source: "direct:feedback".into(),
                    purpose: "feedback_analysis".into(),
                    processor_for_customer: false,
                    account: None,
                    derived_from: Vec::new(),
                },
            )
            .await?;
        self.audit_redactions(caller, input.subject, "survey_answer", total)
            .await?;
        Ok(Some((item, total)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_01_02_05_definitions() {
        let ok = SurveyDefinition {
            id: "s1".into(),
            notice: Some(
                "We combine answers with other customers' to improve our services.".into(),
            ),
            ..SurveyDefinition::default()
        };
        let form = publish_survey(&ok).unwrap();
        assert!(form.optional);
        assert!(!form.free_text_hint.is_empty());
        let required = SurveyDefinition {
            required: true,
            ..ok.clone()
        };
        assert!(matches!(
            publish_survey(&required),
            Err(CoreError::Invalid {
                code: ErrorCode::SurveyCannotBeRequired,
                ..
            })
        ));
        for notice in [None, Some("  ".to_string())] {
            let bad = SurveyDefinition {
                notice,
                ..ok.clone()
            };
            assert!(matches!(
                publish_survey(&bad),
                Err(CoreError::Invalid {
                    code: ErrorCode::NoticeRequired,
                    ..
                })
            ));
        }
    }
}
