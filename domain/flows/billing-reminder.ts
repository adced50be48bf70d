import type { FlowScript } from './flow-script';

export const billingReminder: FlowScript = {
  callType: 'BILLING_REMINDER',
  topicWords: ['fatura*', 'odeme*', 'borc*', 'bill*', 'invoice*', 'payment*'],
  lines: {
    tr: {
      opening:
        'Merhaba {{name}}, ödeme hatırlatması için arıyorum. {{amount}} tutarındaki faturanızın son ödeme tarihi {{due_date}}.',
      followup: 'Ödemenizi bu tarihe kadar yapabilecek misiniz?',
      reask:
        "Kusura bakmayın, anlayamadım. Ödemeyi {{due_date}} tarihine kadar yapabilecek misiniz? Evet için 1'e, hayır için 2'ye, daha sonra aranmak için 3'e, temsilciye bağlanmak için 4'e basabilirsiniz.",
      closing: {
        YES: 'Teşekkür ederim {{name}}, ödemenizi not aldım. İyi günler dilerim.',
        NO: 'Anlaşıldı. Ödeme seçenekleri için müşteri hizmetlerimize her zaman ulaşabilirsiniz. İyi günler dilerim.',
        LATER: 'Tabii, sizi daha sonra tekrar arayacağız. İyi günler dilerim.',
        DONT_CALL:
          'Anlaşıldı, numaranızı arama listemizden çıkarıyorum. Rahatsızlık için özür dilerim, iyi günler.',
        ASK_AGENT: 'Elbette, bir temsilcimiz sizi en kısa sürede arayacak. İyi günler dilerim.',
        UNKNOWN:
          'Sizi anlayamadığım için özür dilerim. Faturanızla ilgili sorularınız için müşteri hizmetlerimize ulaşabilirsiniz. İyi günler dilerim.',
      },
      transfer: 'Elbette, sizi şimdi bir temsilcimize aktarıyorum. Lütfen hatta kalın.',
    },
    en: {
      opening:
        "Hello {{name}}, I'm calling with a payment reminder. Your bill of {{amount}} is due on {{due_date}}.",
      followup: 'Will you be able to pay by then?',
      reask:
        "Sorry, I didn't catch that. Will you be able to pay by {{due_date}}? You can also press 1 for yes, 2 for no, 3 to be called later, or 4 to speak to an agent.",
      closing: {
        YES: "Thank you, {{name}}, I've noted your payment. Have a nice day.",
        NO: 'Understood. You can reach our customer service any time about payment options. Have a nice day.',
        LATER: "Of course, we'll call you back later. Have a nice day.",
        DONT_CALL: "Understood, I'm removing your number from our call list. Sorry for the trouble, goodbye.",
        ASK_AGENT: 'Of course, one of our agents will call you back shortly. Have a nice day.',
        UNKNOWN:
          "I'm sorry I couldn't understand you. Please contact our customer service with any questions about your bill. Have a nice day.",
      },
      transfer: "Of course, I'm transferring you to an agent now. Please stay on the line.",
    },
  },
};
