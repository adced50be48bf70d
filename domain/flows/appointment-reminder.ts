import type { FlowScript } from './flow-script';

export const appointmentReminder: FlowScript = {
  callType: 'APPOINTMENT_REMINDER',
  topicWords: ['randevu*', 'appointment*'],
  lines: {
    tr: {
      opening:
        'Merhaba {{name}}, {{appointment_time}} tarihindeki randevunuzu hatırlatmak için arıyorum.{{#location}} Randevu yeri: {{location}}.{{/location}}',
      followup: 'Randevunuza gelebilecek misiniz?',
      reask:
        "Kusura bakmayın, anlayamadım. {{appointment_time}} tarihindeki randevunuza gelebilecek misiniz? Evet için 1'e, hayır için 2'ye, daha sonra aranmak için 3'e, temsilciye bağlanmak için 4'e basabilirsiniz.",
      closing: {
        YES: 'Harika, randevunuzu onayladım {{name}}. Görüşmek üzere, iyi günler dilerim.',
        NO: 'Anlaşıldı, randevunuza gelemeyeceğinizi not aldım. Yeni bir randevu için bizi arayabilirsiniz. İyi günler dilerim.',
        LATER: 'Tabii, sizi daha sonra tekrar arayacağız. İyi günler dilerim.',
        DONT_CALL:
          'Anlaşıldı, numaranızı arama listemizden çıkarıyorum. Rahatsızlık için özür dilerim, iyi günler.',
        ASK_AGENT: 'Elbette, bir temsilcimiz sizi en kısa sürede arayacak. İyi günler dilerim.',
        UNKNOWN:
          'Sizi anlayamadığım için özür dilerim. Randevunuzla ilgili her konuda bizi arayabilirsiniz. İyi günler dilerim.',
      },
      transfer: 'Elbette, sizi şimdi bir temsilcimize aktarıyorum. Lütfen hatta kalın.',
    },
    en: {
      opening:
        "Hello {{name}}, I'm calling to remind you of your appointment on {{appointment_time}}.{{#location}} The appointment is at {{location}}.{{/location}}",
      followup: 'Will you be able to make it?',
      reask:
        "Sorry, I didn't catch that. Will you be able to make your appointment on {{appointment_time}}? You can also press 1 for yes, 2 for no, 3 to be called later, or 4 to speak to an agent.",
      closing: {
        YES: 'Great, your appointment is confirmed, {{name}}. See you then, and have a nice day.',
        NO: "Understood, I've noted that you can't make it. Please call us to book a new time. Have a nice day.",
        LATER: "Of course, we'll call you back later. Have a nice day.",
        DONT_CALL: "Understood, I'm removing your number from our call list. Sorry for the trouble, goodbye.",
        ASK_AGENT: 'Of course, one of our agents will call you back shortly. Have a nice day.',
        UNKNOWN:
          "I'm sorry I couldn't understand you. Please call us about anything regarding your appointment. Have a nice day.",
      },
      transfer: "Of course, I'm transferring you to an agent now. Please stay on the line.",
    },
  },
};
