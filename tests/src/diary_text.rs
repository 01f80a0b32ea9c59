//! Plausible diary text for sync benchmarks: Italian words drawn with a Zipf-like skew (a few
//! words are very common, most are rare, as in real writing), sentences of varying length,
//! times and measurements. It compresses about as well as real notes do, which matters: the
//! wire targets are about compressed bytes, and text from a handful of repeated words would
//! flatter them.

use rand::Rng;

const WORDS: &str = "\
la il di e che a in un una è non per con mi ha le si lo ma come anche più oggi stamattina \
stasera ieri notte sempre ancora poi quando perché molto poco bene male mamma papà nonna \
nonno signora badante infermiera infermiere medico dottoressa assistente sociale operatrice \
fisioterapista volontario vicina figlia figlio fratello sorella nipote marito moglie \
servizio agenzia cooperativa comune distretto ambulatorio ospedale pronto soccorso farmacia \
visita turno orario ritardo appuntamento telefonata chiamata messaggio prenotazione ricetta \
pannoloni traversa carrozzina deambulatore letto materasso antidecubito sollevatore doccia \
bagno igiene vestizione pasti pranzo cena colazione merenda acqua tisana brodo minestra pane \
frutta yogurt compresse pastiglie gocce insulina glicemia pressione febbre temperatura \
saturazione ossigeno dolore schiena ginocchio anca piede mano braccio testa stomaco tosse \
respiro sonno agitazione confusione memoria paura tristezza sorriso calma stanchezza fatica \
caduta scivolata livido ferita medicazione garza cerotto crema pomata flebo catetere \
arrivata arrivato venuta venuto partita uscito rimasta dormito mangiato bevuto preso chiesto \
detto spiegato dimenticato perso trovato cambiato lavato aiutato accompagnato portato \
telefonato aspettato risposto saputo capito deciso provato sentito visto voluto potuto \
dovuto riuscita riuscito bisogno aiuto sollievo pazienza fiducia paura dubbio problema \
errore sbaglio informazione informazioni modulo documento certificato invalidità \
accompagnamento domanda pratica ufficio sportello numero verde mail lettera risposta \
nessuno qualcuno tutti tutto niente qualcosa altro altra altri stessa stesso primo prima \
dopo durante mentre verso sotto sopra dentro fuori vicino lontano strada neve pioggia \
ghiaccio freddo caldo macchina autobus corriera paese valle montagna frazione chilometri \
minuti ore giorni settimana mese lunedì martedì mercoledì giovedì venerdì sabato domenica \
mattina pomeriggio sera tardi presto puntuale gentile brava bravo attenta attento sgarbata \
frettolosa frettoloso disponibile chiara chiaro confuso nuova nuovo solita solito diversa \
contenta contento preoccupata preoccupato arrabbiata arrabbiato sollevata tranquilla \
sola solo insieme finalmente purtroppo comunque forse davvero proprio quasi subito invece";

/// A generator of entries' text.
#[derive(Debug)]
pub struct DiaryText {
    words: Vec<&'static str>,
    /// Cumulative Zipf weights (1/rank), for sampling by binary search.
    cumulative: Vec<f64>,
}

impl Default for DiaryText {
    fn default() -> Self {
        let words: Vec<&'static str> = WORDS.split_whitespace().collect();
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        DiaryText { words, cumulative }
    }
}

impl DiaryText {
    fn word(&self, rng: &mut impl Rng) -> &'static str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.random_range(0.0..total);
        let i = self.cumulative.partition_point(|&c| c < x);
        self.words[i.min(self.words.len() - 1)]
    }

    /// About `bytes` bytes of text, in sentences.
    pub fn text(&self, rng: &mut impl Rng, bytes: usize) -> String {
        let mut out = String::with_capacity(bytes + 64);
        while out.len() < bytes {
            let words = rng.random_range(4..16);
            for i in 0..words {
                let word = self.word(rng);
                if i == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                } else {
                    out.push(' ');
                    out.push_str(word);
                }
                match rng.random_range(0..40) {
                    0 => out.push_str(&format!(
                        " alle {}:{:02}",
                        rng.random_range(6..23),
                        rng.random_range(0..60)
                    )),
                    1 => {
                        out.push_str(&format!(" {}/{}", rng.random_range(95..180), rng.random_range(55..100)))
                    }
                    2 => out.push_str(&format!(" {},{}", rng.random_range(35..40), rng.random_range(0..10))),
                    3 => out.push(','),
                    _ => {}
                }
            }
            out.push_str(if rng.random_bool(0.15) { "! " } else { ". " });
        }
        out.truncate(out.trim_end().len());
        out
    }
}
