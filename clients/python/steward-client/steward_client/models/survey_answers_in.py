from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.survey_answers_in_answers import SurveyAnswersInAnswers
    from ..models.survey_in import SurveyIn


T = TypeVar("T", bound="SurveyAnswersIn")


@_attrs_define
class SurveyAnswersIn:
    """Survey answers.

    Attributes:
        answers (SurveyAnswersInAnswers): Question id → answer (empty: a decline, nothing stored).
        subject_id (UUID): Who answered.
        survey (SurveyIn): A survey as the company defines it.
    """

    answers: SurveyAnswersInAnswers
    subject_id: UUID
    survey: SurveyIn

    def to_dict(self) -> dict[str, Any]:
        answers = self.answers.to_dict()

        subject_id = str(self.subject_id)

        survey = self.survey.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "answers": answers,
                "subject_id": subject_id,
                "survey": survey,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.survey_answers_in_answers import SurveyAnswersInAnswers  # noqa: PLC0415
        from ..models.survey_in import SurveyIn  # noqa: PLC0415

        d = dict(src_dict)
        answers = SurveyAnswersInAnswers.from_dict(d.pop("answers"))

        subject_id = UUID(d.pop("subject_id"))

        survey = SurveyIn.from_dict(d.pop("survey"))

        survey_answers_in = cls(
            answers=answers,
            subject_id=subject_id,
            survey=survey,
        )

        return survey_answers_in
