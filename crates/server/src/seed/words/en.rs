//! English (caregivers who moved to Switzerland, and their agency's replies to them).

use convivio_core::factor::Factor as F;
use convivio_core::need::NeedCategory as N;

use super::Bank;

pub(super) static BANK: Bank = Bank {
    needs: &[
        (
            N::Respite,
            &[
                "I need a free afternoon next week, even just to see the dentist.",
                "Could someone stay with Mum one night? I have not slept properly in days.",
            ],
        ),
        (
            N::Information,
            &[
                "How do I apply for the helplessness allowance? Nobody could tell me.",
                "What happens after the discharge from hospital? Who will come to us?",
            ],
        ),
        (
            N::Transport,
            &[
                "We have an appointment in Lugano on Tuesday at 9 and I no longer drive.",
                "The bus to town runs twice a day. Could someone take us to the pharmacy?",
            ],
        ),
        (
            N::PersonalCare,
            &[
                "I cannot shower Dad on my own any more, he is afraid of falling.",
                "I need help dressing her in the morning, it takes over an hour.",
            ],
        ),
        (
            N::Health,
            &[
                "The sore on his heel is not healing. Could the nurse have a look?",
                "She has hardly eaten or drunk for a week. I am worried.",
            ],
        ),
        (
            N::EmotionalSupport,
            &[
                "I feel alone with all of this. Is there a carers' group nearby?",
                "I am worn out and sometimes lose my temper. I would like to talk to someone.",
            ],
        ),
        (
            N::PaperworkMoney,
            &[
                "I do not understand last month's invoice: why two more hours?",
                "The health insurance form is too complicated for me. Who can help?",
            ],
        ),
        (
            N::Equipment,
            &[
                "We need a care bed, hers is far too low.",
                "The walker broke. Where can I get it repaired or rent another?",
            ],
        ),
        (
            N::Other,
            &[
                "We are moving down to the village at the end of the month. What should I tell you?",
                "Mum's cat has to go to the vet and I work that day.",
            ],
        ),
    ],
    went_badly: &[
        (
            F::AbsenceOfInformation,
            &[
                "Nobody told us the time had changed, so we waited all morning.",
                "They changed the carer without telling us.",
            ],
        ),
        (
            F::InsufficientTrust,
            &[
                "I do not feel easy leaving him with someone I have never met.",
                "It is someone different every time; I no longer know whom to trust.",
            ],
        ),
        (
            F::Mistake,
            &[
                "The meal was salted although he must eat without salt.",
                "They gave the evening drops in the morning. Luckily I noticed.",
            ],
        ),
        (
            F::InabilityToServe,
            &[
                "There are no evening staff until January, they said.",
                "They could not help with the bath: it is not part of the service.",
            ],
        ),
        (
            F::InabilityToChange,
            &[
                "I asked to move the visit by half an hour, but the round is fixed.",
                "The menu has been the same for months, whatever we ask.",
            ],
        ),
        (
            F::AbsenceOfClearExpectations,
            &[
                "It was not clear what they would do: I thought cleaning too.",
                "I never know when they will come, somewhere between 8 and 11.",
            ],
        ),
        (
            F::Misbehaviour,
            &[
                "The carer was rude and spoke to Mum as if she were a child.",
                "He was on his phone the whole time.",
            ],
        ),
        (
            F::Blaming,
            &[
                "They made me feel it was my fault the sore got worse.",
                "They said the delay was because I had not confirmed, but I had.",
            ],
        ),
    ],
    went_well: &[
        (F::Listened, &["They listened calmly and took their time.", "They asked how I was doing too."]),
        (F::KeptPromises, &["They said Thursday and came on Thursday, as promised."]),
        (F::OnTime, &["Right on time, at 8 sharp.", "They arrived on time despite the snow."]),
        (F::ExplainedClearly, &["The nurse showed me clearly how to change the dressing."]),
        (F::Flexible, &["When Dad was unwell they moved the visit without any fuss."]),
        (
            F::Convivial,
            &["Mum laughed all afternoon with the volunteer.", "A coffee together and a chat: he was happy."],
        ),
    ],
    went_so_so: &["Nothing special, the job was done.", "All fine, if a little rushed."],
    trust_up: &[
        "They called me back the same day.",
        "After the misunderstanding they sorted everything out and apologised.",
        "I know the carers now and trust them more.",
    ],
    trust_down: &[
        "They promise things and then go quiet.",
        "I had to phone three times to get an answer.",
        "Since the mix-up with the medicines I am more wary.",
    ],
    trust_same: &["Same as usual, no better and no worse.", "Not much has changed since last month."],
    notes_good: &[
        "Quiet morning. Mum ate all her breakfast.",
        "We sat in the garden in the sun today. Lovely.",
        "He recognised his granddaughter and asked about school.",
    ],
    notes_hard: &[
        "Hard night, he got up four times. I am exhausted.",
        "She cried today and would not eat. I feel helpless.",
        "Cancelled my own doctor's appointment again. There is never time for me.",
    ],
    notes_plain: &[
        "An ordinary day: shopping, lunch, a nap, television.",
        "The physiotherapist left exercises to do every day.",
        "Three days of rain, we stayed indoors.",
    ],
    staff_first: &[
        "Dear {name}, we have received your request and will be in touch by tomorrow.",
        "Hello {name}, thank you for your message, we are on it.",
    ],
    staff_progress: &["We are arranging it and will confirm the day as soon as we can."],
    staff_met: &[
        "Done: the carer will come on Thursday at 2 pm. Does that suit you?",
        "Everything is arranged. Let us know if you need anything else.",
    ],
    staff_sorry: &[
        "We are very sorry, {name}. We have talked it over with the team.",
        "Thank you for telling us; we have looked into what happened.",
    ],
    staff_after_not_met: &[
        "Unfortunately it is not possible this time. Pro Senectute may be able to help.",
        "I am sorry, {name}. I will call you on Monday so we can look for another way together.",
    ],
    not_met_reasons: &[
        "We have no night staff in your area.",
        "The health insurance does not cover this service.",
        "No transport could be found at such short notice.",
    ],
    caregiver_replies: &[
        "Thank you, that works well.",
        "All right, I will wait for your call.",
        "Perfect, thanks.",
    ],
    caregiver_still_waiting: &["So what can I do now? Nobody has called me back."],
    other_services: &["GP", "Village pharmacy", "Emergency department", "Regional hospital"],
    professionals: &["Nurse Helen", "Dr Bernasconi", "Carer Sandra", "Physiotherapist Marco"],
};
