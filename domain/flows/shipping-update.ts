import type { FlowScript } from './flow-script';

export const shippingUpdate: FlowScript = {
  callType: 'SHIPPING_UPDATE',
  topicWords: [
    'kargo*',
    'teslimat*',
    'paket*',
    'shipping',
    'shipment*',
    'delivery',
    'deliveries',
    'parcel*',
    'package*',
  ],
  lines: {
    tr: {
      opening:
        'Merhaba {{name}}, {{tracking_number}} takip numaralı kargonuz yola çıktı.{{#delivery_date}} Tahmini teslim tarihi {{delivery_date}}.{{/delivery_date}}',
      followup: 'Teslimat sırasında adreste olabilecek misiniz?',
      reask:
        "Kusura bakmayın, anlayamadım. Teslimat sırasında adreste olabilecek misiniz? Evet için 1'e, hayır için 2'ye, daha sonra aranmak için 3'e, temsilciye bağlanmak için 4'e basabilirsiniz.",
      closing: {
        YES: 'Teşekkür ederim {{name}}, kargonuz adresinize teslim edilecek. İyi günler dilerim.',
        NO: 'Anlaşıldı, adreste olmayacağınızı not aldım; teslimat için sizinle iletişime geçeceğiz. İyi günler dilerim.',
        LATER: 'Tabii, sizi daha sonra tekrar arayacağız. İyi günler dilerim.',
        DONT_CALL:
          'Anlaşıldı, numaranızı arama listemizden çıkarıyorum. Rahatsızlık için özür dilerim, iyi günler.',
        ASK_AGENT: 'Elbette, bir temsilcimiz sizi en kısa sürede arayacak. İyi günler dilerim.',
        UNKNOWN:
          'Sizi anlayamadığım için özür dilerim. Kargonuzu {{tracking_number}} takip numarasıyla izleyebilirsiniz. İyi günler dilerim.',
      },
      transfer: 'Elbette, sizi şimdi bir temsilcimize aktarıyorum. Lütfen hatta kalın.',
    },
    en: {
      opening:
        'Hello {{name}}, your parcel with tracking number {{tracking_number}} is on its way.{{#delivery_date}} Expected delivery is {{delivery_date}}.{{/delivery_date}}',
      followup: 'Will someone be at the address to receive it?',
      reask:
        "Sorry, I didn't catch that. Will someone be at the address for the delivery? You can also press 1 for yes, 2 for no, 3 to be called later, or 4 to speak to an agent.",
      closing: {
        YES: 'Thank you, {{name}}, your parcel will be delivered to your address. Have a nice day.',
        NO: "Understood, I've noted that no one will be at the address; we'll contact you about the delivery. Have a nice day.",
        LATER: "Of course, we'll call you back later. Have a nice day.",
        DONT_CALL: "Understood, I'm removing your number from our call list. Sorry for the trouble, goodbye.",
        ASK_AGENT: 'Of course, one of our agents will call you back shortly. Have a nice day.',
        UNKNOWN:
          "I'm sorry I couldn't understand you. You can track your parcel with tracking number {{tracking_number}}. Have a nice day.",
      },
      transfer: "Of course, I'm transferring you to an agent now. Please stay on the line.",
    },
  },
};
