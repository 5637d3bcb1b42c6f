// Generated from saite-domain's collection specs by `cargo xtask gen`; never edit.
import type { Collection } from "./Collection";
import type { CollectionSpec } from "./CollectionSpec";

export const COLLECTION_SPECS: Record<Collection, CollectionSpec> = {
  "seminar": {
    "fields": [
      {
        "name": "title",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "kind",
        "kind": {
          "kind": "code",
          "list": "event-kind"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "date",
        "kind": {
          "kind": "date"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "endDate",
        "kind": {
          "kind": "date"
        },
        "required": false,
        "notBefore": "date",
        "searched": false
      },
      {
        "name": "municipality",
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "required": true,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "venue",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "organisedBy",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "campaign",
        "kind": {
          "kind": "reference",
          "collection": "campaign"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "topics",
        "kind": {
          "kind": "texts"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "participants",
        "kind": {
          "kind": "counts",
          "list": "target-group"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "title",
    "oneOf": [],
    "list": {
      "filters": [
        "municipality",
        "kind",
        "campaign",
        "participants",
        "organisedBy"
      ],
      "sorts": [
        "date",
        "title"
      ],
      "year": "date",
      "keys": [
        "date",
        "municipality",
        "campaign",
        "kind"
      ],
      "ties": null,
      "sums": [
        "participants"
      ],
      "screen": {
        "columns": [
          "date",
          "title",
          "municipality",
          "kind"
        ],
        "sort": "date",
        "descending": true,
        "filters": [
          {
            "type": "region"
          },
          {
            "type": "code",
            "field": "municipality"
          },
          {
            "type": "year"
          },
          {
            "type": "code",
            "field": "kind"
          }
        ]
      }
    },
    "files": true,
    "retired": [
      "organiser"
    ]
  },
  "organisation": {
    "fields": [
      {
        "name": "name",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "kind",
        "kind": {
          "kind": "code",
          "list": "organisation-kind"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "municipality",
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "country",
        "kind": {
          "kind": "code",
          "list": "country"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "address",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "phones",
        "kind": {
          "kind": "phones"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "emails",
        "kind": {
          "kind": "emails"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "website",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "coalitionMember",
        "kind": {
          "kind": "bool"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "name",
    "oneOf": [],
    "list": {
      "filters": [
        "municipality",
        "kind",
        "coalitionMember",
        "country"
      ],
      "sorts": [
        "name"
      ],
      "year": null,
      "keys": [
        "name",
        "kind",
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "name",
          "kind",
          "municipality"
        ],
        "sort": "name",
        "descending": false,
        "filters": [
          {
            "type": "region"
          },
          {
            "type": "code",
            "field": "kind"
          }
        ]
      }
    },
    "files": true,
    "retired": []
  },
  "person": {
    "fields": [
      {
        "name": "fullName",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "organisation",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "position",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "phones",
        "kind": {
          "kind": "phones"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "emails",
        "kind": {
          "kind": "emails"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "preferredLanguage",
        "kind": {
          "kind": "code",
          "list": "material-language"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "municipality",
        "kind": {
          "kind": "code",
          "list": "municipality"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "lastContactedOn",
        "kind": {
          "kind": "date"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "legalBasis",
        "kind": {
          "kind": "code",
          "list": "legal-basis"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "basisConfirmedOn",
        "kind": {
          "kind": "date"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "fullName",
    "oneOf": [],
    "list": {
      "filters": [
        "organisation",
        "municipality",
        "preferredLanguage"
      ],
      "sorts": [
        "fullName"
      ],
      "year": null,
      "keys": [
        "fullName",
        "organisation",
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "fullName",
          "organisation",
          "position",
          "phones"
        ],
        "sort": "fullName",
        "descending": false,
        "filters": [
          {
            "type": "code",
            "field": "preferredLanguage"
          }
        ]
      }
    },
    "files": true,
    "retired": []
  },
  "material": {
    "fields": [
      {
        "name": "title",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "kind",
        "kind": {
          "kind": "code",
          "list": "material-kind"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "description",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "stock",
        "kind": {
          "kind": "integer",
          "min": 0
        },
        "required": false,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": "title",
    "oneOf": [],
    "list": {
      "filters": [
        "kind"
      ],
      "sorts": [
        "title",
        "stock"
      ],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "title",
          "kind",
          "stock"
        ],
        "sort": "title",
        "descending": false,
        "filters": [
          {
            "type": "code",
            "field": "kind"
          }
        ]
      }
    },
    "files": true,
    "retired": []
  },
  "material-version": {
    "fields": [
      {
        "name": "material",
        "kind": {
          "kind": "reference",
          "collection": "material"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "language",
        "kind": {
          "kind": "code",
          "list": "material-language"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "title",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "attachment",
        "kind": {
          "kind": "reference",
          "collection": "attachment"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": "title",
    "oneOf": [],
    "list": {
      "filters": [
        "material",
        "language"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": true,
    "retired": []
  },
  "distribution": {
    "fields": [
      {
        "name": "material",
        "kind": {
          "kind": "reference",
          "collection": "material"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "organisation",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "seminar",
        "kind": {
          "kind": "reference",
          "collection": "seminar"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "quantity",
        "kind": {
          "kind": "integer",
          "min": 1
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "date",
        "kind": {
          "kind": "date"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "method",
        "kind": {
          "kind": "code",
          "list": "distribution-method"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "date",
    "oneOf": [],
    "list": {
      "filters": [
        "material",
        "organisation",
        "seminar",
        "method"
      ],
      "sorts": [
        "date"
      ],
      "year": "date",
      "keys": [
        "date",
        "material",
        "organisation",
        null
      ],
      "ties": null,
      "sums": [
        "quantity"
      ],
      "screen": {
        "columns": [
          "date",
          "material",
          "organisation",
          "quantity"
        ],
        "sort": "date",
        "descending": true,
        "filters": [
          {
            "type": "year"
          },
          {
            "type": "code",
            "field": "method"
          }
        ]
      }
    },
    "files": false,
    "retired": []
  },
  "campaign": {
    "fields": [
      {
        "name": "name",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "kind",
        "kind": {
          "kind": "code",
          "list": "campaign-kind"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "startsOn",
        "kind": {
          "kind": "date"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "endsOn",
        "kind": {
          "kind": "date"
        },
        "required": false,
        "notBefore": "startsOn",
        "searched": false
      },
      {
        "name": "description",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "name",
    "oneOf": [],
    "list": {
      "filters": [
        "kind"
      ],
      "sorts": [
        "name",
        "startsOn"
      ],
      "year": "startsOn",
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "name",
          "kind",
          "startsOn"
        ],
        "sort": "name",
        "descending": false,
        "filters": [
          {
            "type": "code",
            "field": "kind"
          }
        ]
      }
    },
    "files": true,
    "retired": [
      "funders"
    ]
  },
  "follow-up": {
    "fields": [
      {
        "name": "title",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "seminar",
        "kind": {
          "kind": "reference",
          "collection": "seminar"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "organisation",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "person",
        "kind": {
          "kind": "reference",
          "collection": "person"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "owner",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "dueOn",
        "kind": {
          "kind": "date"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "done",
        "kind": {
          "kind": "bool"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "title",
    "oneOf": [
      "seminar",
      "organisation",
      "person"
    ],
    "list": {
      "filters": [
        "seminar",
        "organisation",
        "person",
        "owner",
        "done"
      ],
      "sorts": [
        "dueOn"
      ],
      "year": "dueOn",
      "keys": [
        "dueOn",
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "dueOn",
          "title",
          "owner",
          "done"
        ],
        "sort": "dueOn",
        "descending": false,
        "filters": [
          {
            "type": "open",
            "field": "done"
          },
          {
            "type": "mine",
            "field": "owner"
          },
          {
            "type": "year"
          }
        ]
      }
    },
    "files": true,
    "retired": []
  },
  "attachment": {
    "fields": [
      {
        "name": "owner",
        "kind": {
          "kind": "any-reference",
          "collectionField": "ownerCollection"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "ownerCollection",
        "kind": {
          "kind": "collection-name"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "fileName",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "mediaType",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "sizeBytes",
        "kind": {
          "kind": "integer",
          "min": 0
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "sha256",
        "kind": {
          "kind": "content-address"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "description",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "fileName",
    "oneOf": [],
    "list": {
      "filters": [
        "owner"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": false,
    "retired": []
  },
  "seminar-organisation": {
    "fields": [
      {
        "name": "seminar",
        "kind": {
          "kind": "reference",
          "collection": "seminar"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "organisation",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": null,
    "oneOf": [],
    "list": {
      "filters": [
        "seminar",
        "organisation"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": false,
    "retired": []
  },
  "seminar-person": {
    "fields": [
      {
        "name": "seminar",
        "kind": {
          "kind": "reference",
          "collection": "seminar"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "person",
        "kind": {
          "kind": "reference",
          "collection": "person"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "role",
        "kind": {
          "kind": "code",
          "list": "seminar-role"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": null,
    "oneOf": [],
    "list": {
      "filters": [
        "seminar",
        "person"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": false,
    "retired": []
  },
  "material-campaign": {
    "fields": [
      {
        "name": "material",
        "kind": {
          "kind": "reference",
          "collection": "material"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "campaign",
        "kind": {
          "kind": "reference",
          "collection": "campaign"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": null,
    "oneOf": [],
    "list": {
      "filters": [
        "material",
        "campaign"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": false,
    "retired": []
  },
  "hotline-contact": {
    "fields": [
      {
        "name": "date",
        "kind": {
          "kind": "date"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "time",
        "kind": {
          "kind": "time"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "channel",
        "kind": {
          "kind": "code",
          "list": "hotline-channel"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "topic",
        "kind": {
          "kind": "code",
          "list": "hotline-topic"
        },
        "required": true,
        "notBefore": null,
        "searched": true
      },
      {
        "name": "region",
        "kind": {
          "kind": "code",
          "list": "region"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "referredTo",
        "kind": {
          "kind": "reference",
          "collection": "organisation"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "date",
    "oneOf": [],
    "list": {
      "filters": [
        "channel",
        "topic",
        "region",
        "referredTo"
      ],
      "sorts": [
        "date"
      ],
      "year": "date",
      "keys": [
        "date",
        "topic",
        "region",
        "channel"
      ],
      "ties": "time",
      "sums": [],
      "screen": {
        "columns": [
          "date",
          "time",
          "topic",
          "channel",
          "region"
        ],
        "sort": "date",
        "descending": true,
        "filters": [
          {
            "type": "year"
          },
          {
            "type": "code",
            "field": "topic"
          },
          {
            "type": "code",
            "field": "channel"
          },
          {
            "type": "code",
            "field": "region"
          }
        ]
      }
    },
    "files": false,
    "retired": []
  },
  "funder": {
    "fields": [
      {
        "name": "name",
        "kind": {
          "kind": "text"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "kind",
        "kind": {
          "kind": "code",
          "list": "funder-kind"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "website",
        "kind": {
          "kind": "text"
        },
        "required": false,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "notes",
        "kind": {
          "kind": "long-text"
        },
        "required": false,
        "notBefore": null,
        "searched": true
      }
    ],
    "label": "name",
    "oneOf": [],
    "list": {
      "filters": [
        "kind"
      ],
      "sorts": [
        "name"
      ],
      "year": null,
      "keys": [
        "name",
        "kind",
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": {
        "columns": [
          "name",
          "kind"
        ],
        "sort": "name",
        "descending": false,
        "filters": [
          {
            "type": "code",
            "field": "kind"
          }
        ]
      }
    },
    "files": true,
    "retired": []
  },
  "campaign-funder": {
    "fields": [
      {
        "name": "campaign",
        "kind": {
          "kind": "reference",
          "collection": "campaign"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      },
      {
        "name": "funder",
        "kind": {
          "kind": "reference",
          "collection": "funder"
        },
        "required": true,
        "notBefore": null,
        "searched": false
      }
    ],
    "label": null,
    "oneOf": [],
    "list": {
      "filters": [
        "campaign",
        "funder"
      ],
      "sorts": [],
      "year": null,
      "keys": [
        null,
        null,
        null,
        null
      ],
      "ties": null,
      "sums": [],
      "screen": null
    },
    "files": false,
    "retired": []
  }
};

/** The collections with their own list, page and form: those whose spec has a screen. */
export type ScreenCollection = "seminar" | "organisation" | "person" | "material" | "distribution" | "campaign" | "follow-up" | "hotline-contact" | "funder";
